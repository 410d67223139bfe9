// Assembles scenes: surface + treatment + camera, and the truth that goes with them.

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/synth/camera.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/layers.h"
#include "needlescope/synth/patterns.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/skin.h"
#include "needlescope/synth/visibility.h"

namespace needlescope::synth {
namespace {

constexpr int kBorderMarginPx = 6;  // punctures are kept this far inside the image

std::uint64_t Mix(std::uint64_t seed, std::uint64_t salt) {
  std::uint64_t z = seed * 0x9E3779B97F4A7C15ull + salt;  // splitmix64
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

// The decided rule, on the ideal observer's d' in the delivered file (visibility.h).
void SetVisibility(TruthPuncture& p) {
  const Visibility v = VisibilityOf(p.d_prime);
  p.visible = v.visible;
  p.faint = v.faint;
}

// Photo scale: 12-20 px per mm, a close-up of a treated area.
double DrawPxPerMm(cv::RNG& rng) { return rng.uniform(12.0, 20.0); }

// A puncture is hidden when a hair or fibre covers its centre.
void MarkOccluded(std::vector<TruthPuncture>& punctures, const cv::Mat& hair_alpha) {
  for (TruthPuncture& p : punctures) {
    const int x = std::clamp(int(std::lround(p.x)), 0, hair_alpha.cols - 1);
    const int y = std::clamp(int(std::lround(p.y)), 0, hair_alpha.rows - 1);
    p.occluded = hair_alpha.at<float>(y, x) > 0.5f;
  }
}

double DrawSkinPunctureAmplitude(cv::RNG& rng) {
  return rng.uniform(0.0, 1.0) < 0.2 ? rng.uniform(0.15, 0.30) : rng.uniform(0.45, 1.3);
}

bool InsideFrame(cv::Point2d p, cv::Size size) {
  return p.x >= kBorderMarginPx && p.y >= kBorderMarginPx && p.x <= size.width - 1 - kBorderMarginPx &&
         p.y <= size.height - 1 - kBorderMarginPx;
}

// Punctures of a treated skin region, following the scene's pattern.
std::vector<TruthPuncture> DrawSkinPunctures(const std::vector<cv::Point2d>& polygon,
                                             cv::Size size, PatternKind kind, double px_per_mm,
                                             cv::RNG& rng, Pattern& pattern) {
  cv::Rect2d box = cv::boundingRect(std::vector<cv::Point2f>(polygon.begin(), polygon.end()));
  const double small_side = std::min(box.width, box.height);
  // An ellipse at a random place in the box, its axes `axis` (fractions of the box's smaller
  // side) and a random angle; the draws in the order GCC took them as arguments.
  const auto random_ellipse = [&](double axis_min, double axis_max) {
    const double cy = rng.uniform(0.2, 0.8), cx = rng.uniform(0.2, 0.8);
    const cv::Point2d c(box.x + cx * box.width, box.y + cy * box.height);
    const double angle = rng.uniform(0.0, 180.0);
    const double height = rng.uniform(axis_min, axis_max), width = rng.uniform(axis_min, axis_max);
    return cv::RotatedRect(cv::Point2f(c), cv::Size2f(float(small_side * width), float(small_side * height)),
                           float(angle));
  };
  for (int k = rng.uniform(0, 3); k > 0; --k) pattern.gaps.push_back(random_ellipse(0.12, 0.25));  // under-treated
  for (int k = rng.uniform(0, 3); k > 0; --k) pattern.hotspots.push_back(random_ellipse(0.1, 0.2));  // over-treated

  std::vector<cv::Point2d> points;
  std::vector<std::pair<int, int>> origin;  // (stamp, needle) per point
  if (kind == PatternKind::kStamps) {
    static const char* kLayouts[] = {"circle12", "grid36", "grid9"};
    pattern.kind = "stamps";
    const double pitch = rng.uniform(0.55, 0.85);  // GCC's order: the last argument first
    pattern.cartridge = MakeCartridge(kLayouts[rng.uniform(0, 3)], pitch * px_per_mm);
    DrawStrokeStamps(polygon, *pattern.cartridge, rng, pattern);
    for (const cv::RotatedRect& hotspot : pattern.hotspots) {  // a second pass over each hotspot
      std::vector<cv::Point> outline;
      cv::ellipse2Poly(cv::Point(hotspot.center), cv::Size(int(hotspot.size.width / 2), int(hotspot.size.height / 2)), int(hotspot.angle), 0,
                       360, 20, outline);
      DrawStrokeStamps(std::vector<cv::Point2d>(outline.begin(), outline.end()), *pattern.cartridge,
                       rng, pattern);
    }
    for (size_t s = 0; s < pattern.stamps.size(); ++s) {
      const std::vector<cv::Point2d> needles = StampNeedles(*pattern.cartridge, pattern.stamps[s]);
      for (size_t n = 0; n < needles.size(); ++n) {
        const double dy = rng.gaussian(0.3), dx = rng.gaussian(0.3);  // GCC's order
        points.push_back(needles[n] + cv::Point2d(dx, dy));
        origin.emplace_back(int(s), int(n));
      }
    }
  } else {
    pattern.kind = "scatter";
    pattern.target_density_per_mpx = rng.uniform(1500.0, 5000.0);
    points = DrawScatter(polygon, pattern.target_density_per_mpx, rng);
    for (const cv::RotatedRect& hotspot : pattern.hotspots) {
      const double area = CV_PI * hotspot.size.width * hotspot.size.height / 4;
      for (int k = int(2 * pattern.target_density_per_mpx * area / 1e6); k > 0; --k) {
        const double dy = rng.uniform(-0.5, 0.5), dx = rng.uniform(-0.5, 0.5);  // GCC's order
        const cv::Point2d p(hotspot.center.x + dx * hotspot.size.width, hotspot.center.y + dy * hotspot.size.width);
        if (InsideEllipse(hotspot, p)) points.push_back(p);
      }
    }
    origin.assign(points.size(), {-1, -1});
  }

  std::vector<TruthPuncture> punctures;
  for (size_t k = 0; k < points.size(); ++k) {
    const cv::Point2d p = points[k];
    const bool in_gap = std::any_of(pattern.gaps.begin(), pattern.gaps.end(),
                                    [&](const cv::RotatedRect& g) { return InsideEllipse(g, p); });
    if (in_gap || !InsidePolygon(polygon, p) || !InsideFrame(p, size)) continue;
    TruthPuncture t;
    t.x = p.x;
    t.y = p.y;
    t.radius_px = std::clamp(rng.uniform(0.07, 0.21) * px_per_mm, 1.0, 4.0);
    t.amplitude = DrawSkinPunctureAmplitude(rng);
    t.stamp = origin[k].first;
    t.needle = origin[k].second;
    AddPuncture(punctures, t);
  }
  return punctures;
}

// Family B's puncture: a flat-topped disc (blood filling the channel) with a soft edge, and
// in 70 % of them blood bled off to one side.
void AddBleedingDisc(const TruthPuncture& p, cv::RNG& rng, cv::Mat& map) {
  AddFlatSpot(map, p.x, p.y, 0.8 * p.radius_px, 0.35 * p.radius_px, p.amplitude);
  if (rng.uniform(0.0, 1.0) < 0.7) {
    const double dir = rng.uniform(0.0, 2 * CV_PI), reach = p.radius_px * rng.uniform(1.0, 2.0);
    const double amplitude = rng.uniform(0.15, 0.4), radius = rng.uniform(1.0, 1.8);  // GCC's order
    AddGaussianSpot(map, p.x + reach * std::cos(dir), p.y + reach * std::sin(dir), p.radius_px * radius,
                    p.amplitude * amplitude);
  }
}

// Family C's: a long-tailed spot with a clotted core always.
void AddClottedLorentzian(const TruthPuncture& p, cv::RNG& rng, cv::Mat& map, cv::Mat& clot) {
  AddLorentzianSpot(map, p.x, p.y, p.radius_px, p.amplitude);
  const double strength = std::min(1.0, p.amplitude) * rng.uniform(0.3, 0.8);
  AddGaussianSpot(map, p.x, p.y, 0.6, strength);
  AddGaussianSpot(clot, p.x, p.y, 0.6, 0.5 * strength);
}

// Adds the punctures to `map` in the family's profile. Family A: a Gaussian, some with a
// wider, weak wheal of erythema around them, some with a darker pinpoint of clotted blood
// at the centre (more hemoglobin and a neutral darkening, in `shade`).
void RenderPunctures(const std::vector<TruthPuncture>& punctures, cv::Mat& map, cv::Mat& shade,
                     std::uint64_t seed, PunctureProfile profile) {
  cv::RNG rng(seed);
  cv::Mat clot = cv::Mat::zeros(map.size(), CV_32F);
  for (const TruthPuncture& p : punctures) {
    if (profile != PunctureProfile::kGaussian) {
      if (p.amplitude <= 0) continue;
      if (profile == PunctureProfile::kFlatDisc) AddBleedingDisc(p, rng, map);
      else AddClottedLorentzian(p, rng, map, clot);
      continue;
    }
    const double wheal = rng.uniform(0.0, 1.0), pinpoint = rng.uniform(0.0, 1.0);
    if (p.amplitude <= 0) continue;
    AddGaussianSpot(map, p.x, p.y, p.radius_px, p.amplitude);
    if (wheal < 0.5) {
      const double amplitude = rng.uniform(0.1, 0.2), radius = rng.uniform(2.5, 4.0);  // GCC's order
      AddGaussianSpot(map, p.x, p.y, p.radius_px * radius, p.amplitude * amplitude);
    }
    if (pinpoint < 0.4) {
      const double strength = std::min(1.0, p.amplitude) * rng.uniform(0.4, 1.0);
      AddGaussianSpot(map, p.x, p.y, 0.7, strength);
      AddGaussianSpot(clot, p.x, p.y, 0.7, 0.4 * strength);
    }
  }
  cv::min(clot, 0.6, clot);
  shade = shade.mul(1.0 - clot);
}

// Mean of `values` where `weight` > threshold (or < threshold when `below`).
double MaskedMean(const cv::Mat& values, const cv::Mat& coverage, bool inside) {
  cv::Mat mask = inside ? coverage > 0.5 : coverage < 0.01;
  return cv::countNonZero(mask) ? cv::mean(values, mask)[0] : 0.0;
}

void MeasureErythema(const SurfaceLayers& view, const cv::Mat& erythema,
                     const std::vector<cv::Point2d>& polygon, ErythemaTruth& truth) {
  if (polygon.empty()) {
    truth.hemoglobin_outside = cv::mean(view.maps.hemoglobin)[0];
    return;
  }
  const cv::Mat coverage = PolygonCoverage(view.maps.melanin.size(), polygon);
  truth.delta_hemoglobin_inside = MaskedMean(erythema, coverage, true);
  truth.hemoglobin_inside = MaskedMean(view.maps.hemoglobin, coverage, true);
  truth.hemoglobin_outside = MaskedMean(view.maps.hemoglobin, coverage, false);
  cv::Mat srgb = SurfaceReflectance(view), lab;
  EncodeSrgb(srgb);
  cv::cvtColor(srgb, lab, cv::COLOR_BGR2Lab);  // float input: L in [0,100], a*, b* (D65)
  cv::Mat a_star;
  cv::extractChannel(lab, a_star, 1);
  truth.a_star_inside = MaskedMean(a_star, coverage, true);
  truth.a_star_outside = MaskedMean(a_star, coverage, false);
}

// A view of the canvas through `canvas_to_image` (a homography), `size` pixels.
SurfaceLayers WarpLayers(const SurfaceLayers& canvas, const cv::Matx33d& canvas_to_image, cv::Size size) {
  auto warp = [&](const cv::Mat& m) {
    cv::Mat out;
    cv::warpPerspective(m, out, cv::Mat(canvas_to_image), size, cv::INTER_CUBIC, cv::BORDER_REFLECT101);
    return out;
  };
  SurfaceLayers view = canvas;
  view.maps.melanin = warp(canvas.maps.melanin);
  view.maps.hemoglobin = warp(canvas.maps.hemoglobin);
  view.maps.stain = warp(canvas.maps.stain);
  view.maps.shade = warp(canvas.maps.shade);
  view.specular = warp(canvas.specular);
  view.hair_alpha = warp(canvas.hair_alpha);
  cv::max(view.hair_alpha, 0.0, view.hair_alpha);
  cv::min(view.hair_alpha, 1.0, view.hair_alpha);
  return view;
}

cv::Point2d Apply(const cv::Matx33d& h, cv::Point2d p) {
  const cv::Vec3d q = h * cv::Vec3d(p.x, p.y, 1.0);
  return {q[0] / q[2], q[1] / q[2]};
}

// Fills each puncture's `glare`: specular reflection adds the same light to a puncture and
// to the skin around it, so under a sheen as bright as the skin its contrast is washed out
// for any camera or eye. `with` is the view's diffuse reflectance as photographed, `without`
// the same without the punctures' added absorber (hemoglobin or stain; their neutral clot
// darkening stays in both, so the share is the absorber's).
void MeasureGlare(const cv::Mat& with, const cv::Mat& without, const cv::Mat& specular,
                  std::vector<TruthPuncture>& punctures) {
  for (TruthPuncture& p : punctures) {
    const int x = std::clamp(int(std::lround(p.x)), 0, with.cols - 1);
    const int y = std::clamp(int(std::lround(p.y)), 0, with.rows - 1);
    const cv::Vec3f r1 = with.at<cv::Vec3f>(y, x), r0 = without.at<cv::Vec3f>(y, x);
    const double s = specular.at<float>(y, x);
    int c = 0;
    for (int k = 1; k < 3; ++k) {
      if (r0[k] * r1[c] > r0[c] * r1[k]) c = k;  // the largest r0 / r1
    }
    const double contrast = std::log10(double(r0[c]) / r1[c]);
    p.glare = contrast > 1e-6 ? std::log10((r0[c] + s) / (r1[c] + s)) / contrast : 1.0;
  }
}

struct TreatedCanvas {
  SurfaceLayers surface;  // background
  cv::Mat erythema;       // added hemoglobin, smooth
  std::vector<cv::Point2d> polygon;
  std::vector<TruthPuncture> punctures;
  Pattern pattern;
};

// Photographs a treated canvas through `canvas_to_image`; erythema scaled by `erythema_gain`,
// punctures given in image coordinates. Fills the image truth.
void PhotographView(const TreatedCanvas& canvas, const cv::Matx33d& canvas_to_image,
                    cv::Size size, double erythema_gain,
                    const std::vector<TruthPuncture>& punctures, std::uint64_t seed,
                    int jpeg_quality, FileFormat format, Family family, SceneImage& image) {
  SceneTruth& truth = image.truth;
  const FamilyModel& model = ModelOf(family);
  truth.format = format;
  truth.family = family;
  cv::RNG rng(seed);
  SurfaceLayers view = WarpLayers(canvas.surface, canvas_to_image, size);
  cv::Mat erythema = cv::Mat::zeros(size, CV_32F);
  if (!canvas.erythema.empty()) {
    cv::warpPerspective(canvas.erythema, erythema, cv::Mat(canvas_to_image), size, cv::INTER_LINEAR,
                        cv::BORDER_REFLECT101);
    erythema *= erythema_gain;
  }
  view.maps.hemoglobin += erythema;
  cv::Mat spots = cv::Mat::zeros(size, CV_32F);
  const cv::Mat shade_without_clots = view.maps.shade;  // RenderPunctures replaces the view's
  RenderPunctures(punctures, spots, view.maps.shade, Mix(seed, 7), model.profile);
  // Validation substrates are stained (methylene blue); skin punctures are blood.
  cv::Mat& absorber = truth.kind == SceneKind::kSubstrate ? view.maps.stain : view.maps.hemoglobin;
  // Diffuse only (no hair, no sheen). New planes, not Mat::zeros assigned to the copied
  // headers: that would zero the view's own planes, which they share.
  SurfaceLayers unpunctured = view;
  unpunctured.hair_alpha = cv::Mat(size, CV_32F, cv::Scalar(0));
  unpunctured.specular = cv::Mat(size, CV_32F, cv::Scalar(0));
  unpunctured.maps.hemoglobin = view.maps.hemoglobin.clone();
  unpunctured.maps.stain = view.maps.stain.clone();
  absorber += spots;
  image.absorber = absorber;
  image.melanin = view.maps.melanin;

  for (const cv::Point2d& p : canvas.polygon) truth.treated_polygon.push_back(Apply(canvas_to_image, p));
  truth.punctures = punctures;
  SurfaceLayers punctured = unpunctured;
  punctured.maps.hemoglobin = view.maps.hemoglobin;
  punctured.maps.stain = view.maps.stain;
  MeasureGlare(SurfaceReflectance(punctured), SurfaceReflectance(unpunctured), view.specular, truth.punctures);
  MeasureErythema(view, erythema, truth.treated_polygon, truth.erythema);
  truth.camera = DrawCamera(rng, jpeg_quality, model);
  const Lighting light = DrawLighting(rng, model);
  const cv::Mat with = SurfaceReflectance(view);
  // Visibility: the same photo without any trace of the punctures (no added absorber, no
  // clot), delivered as the file is, with the same noise; and more such pairs with other
  // noise, for the expected signal.
  SurfaceLayers background = view;
  background.maps.hemoglobin = unpunctured.maps.hemoglobin;
  background.maps.stain = unpunctured.maps.stain;
  background.maps.shade = shade_without_clots;
  const cv::Mat without = SurfaceReflectance(background);
  ObserverInputs observer;
  observer.blur_sigma_px = EquivalentBlurSigma(truth.camera);
  constexpr int kRealisations = 4;
  auto difference = [](const cv::Mat& a, const cv::Mat& b) {
    cv::Mat d;
    a.convertTo(d, CV_32FC3);
    return cv::Mat(d - cv::Mat_<cv::Vec3f>(b));
  };
  for (int k = 0; k < kRealisations; ++k) {
    cv::RNG noise = k == 0 ? rng : cv::RNG(Mix(seed, 100 + k)), same_noise = noise;
    const cv::Mat photo = Photograph(with, truth.camera, light, noise);
    const cv::Mat photo_without = Photograph(without, truth.camera, light, same_noise);
    const cv::Mat file_without = Delivered(photo_without, format, truth.camera);
    observer.delivered_signals.push_back(
        difference(Delivered(photo, format, truth.camera), file_without));
    if (k == 0) {
      image.bgr = photo;
      observer.background_photo = photo_without;
      if (format != FileFormat::kPng) observer.coding_error = difference(file_without, photo_without);
    }
  }
  const std::vector<double> d_prime = IdealObserverDPrime(observer, truth.punctures);
  for (size_t i = 0; i < truth.punctures.size(); ++i) {
    truth.punctures[i].d_prime = d_prime[i];
    SetVisibility(truth.punctures[i]);
  }
}

TreatedCanvas DrawTreatedSkin(cv::Size canvas_size, cv::Rect frame, int skin_type,
                              PatternKind pattern, bool treated, double px_per_mm, cv::RNG& rng,
                              SceneTruth& truth, const FamilyModel& family) {
  TreatedCanvas c;
  c.surface = DrawSkin(canvas_size, skin_type, rng, truth, family);
  c.pattern.kind = "none";
  if (!treated) return c;
  const double margin = 0.04 * std::min(frame.width, frame.height);
  c.polygon = DrawTreatedPolygon(frame.size(), rng.uniform(0.25, 0.55), margin, rng);
  for (cv::Point2d& p : c.polygon) p += cv::Point2d(frame.tl());
  const cv::Mat coverage = PolygonCoverage(canvas_size, c.polygon);
  cv::Mat feathered;
  cv::GaussianBlur(coverage, feathered, cv::Size(), rng.uniform(6.0, 20.0));
  const double strength = rng.uniform(0.12, 0.45);
  c.erythema = strength * (0.65 + 0.35 * SmoothNoise(canvas_size, rng.uniform(25.0, 60.0), rng));
  cv::max(c.erythema, 0.0, c.erythema);
  c.erythema = c.erythema.mul(feathered);
  const PatternKind kind = pattern != PatternKind::kAuto
                               ? pattern
                               : (rng.uniform(0, 2) ? PatternKind::kStamps : PatternKind::kScatter);
  c.punctures = DrawSkinPunctures(c.polygon, canvas_size, kind, px_per_mm, rng, c.pattern);
  MarkOccluded(c.punctures, c.surface.hair_alpha);
  return c;
}

std::vector<SceneImage> RenderSkin(SceneKind kind, std::uint64_t seed, const SceneOptions& o) {
  cv::RNG rng(Mix(seed, 1));
  SceneImage image;
  SceneTruth& t = image.truth;
  t.kind = kind;
  t.seed = seed;
  t.name = std::string(SceneKindName(kind)) + "-" + std::to_string(seed);
  t.width = o.width_px;
  t.height = o.height_px;
  t.surface = "skin";
  t.skin_type = o.skin_type ? o.skin_type : rng.uniform(1, 7);
  const double px_per_mm = DrawPxPerMm(rng);
  t.mm_per_px = 1.0 / px_per_mm;
  const cv::Size size(o.width_px, o.height_px);
  const TreatedCanvas canvas =
      DrawTreatedSkin(size, cv::Rect(cv::Point(), size), t.skin_type, o.pattern,
                      kind == SceneKind::kSkinTreated, px_per_mm, rng, t, ModelOf(o.family));
  t.pattern = canvas.pattern;
  PhotographView(canvas, cv::Matx33d::eye(), size, 1.0, canvas.punctures, Mix(seed, 2),
                 o.jpeg_quality, o.format, o.family, image);
  return {image};
}

std::vector<SceneImage> RenderSubstrate(std::uint64_t seed, const SceneOptions& o) {
  cv::RNG rng(Mix(seed, 3));
  SceneImage image;
  SceneTruth& t = image.truth;
  t.kind = SceneKind::kSubstrate;
  t.seed = seed;
  t.name = "substrate-" + std::to_string(seed);
  t.width = o.width_px;
  t.height = o.height_px;
  const cv::Size size(o.width_px, o.height_px);
  const bool on_film = rng.uniform(0.0, 1.0) < 0.5;
  t.surface = on_film ? "film" : "skin";
  t.skin_type = on_film ? 0 : (o.skin_type ? o.skin_type : rng.uniform(1, 3));
  const double px_per_mm = DrawPxPerMm(rng);
  t.mm_per_px = 1.0 / px_per_mm;
  TreatedCanvas canvas;
  FamilyModel model = ModelOf(o.family);
  if (o.stain_od) {
    model.stain = *o.stain_od;
    t.stain_od = o.stain_od;
  }
  canvas.surface = on_film ? DrawFilm(size, rng, t, model) : DrawSkin(size, t.skin_type, rng, t, model);

  static const char* kLayouts[] = {"circle12", "grid36", "grid9"};
  Pattern& pattern = canvas.pattern;
  pattern.kind = "stamps";
  const double pitch = rng.uniform(0.7, 1.0);  // GCC's order: the last argument first
  pattern.cartridge = MakeCartridge(kLayouts[rng.uniform(0, 3)], pitch * px_per_mm);
  const int needles = int(pattern.cartridge->needles.size());
  for (int k = rng.uniform(0, 3); k > 0; --k) pattern.missing_needles.push_back(rng.uniform(0, needles));
  for (int k = rng.uniform(0, 3); k > 0; --k) pattern.faint_needles.push_back(rng.uniform(0, needles));
  auto listed = [](const std::vector<int>& v, int n) { return std::find(v.begin(), v.end(), n) != v.end(); };

  // Stamps on a jittered grid, far enough apart not to overlap.
  double extent = 0;
  for (const cv::Point2d& n : pattern.cartridge->needles) extent = std::max(extent, cv::norm(n));
  const double cell = 2 * extent + 4 * pattern.cartridge->pitch_px;
  const int cols = std::max(1, int((size.width - 2 * kBorderMarginPx) / cell));
  const int rows = std::max(1, int((size.height - 2 * kBorderMarginPx) / cell));
  const int stamps = std::min(cols * rows, rng.uniform(4, 13));
  std::vector<int> cells(cols * rows);
  for (int k = 0; k < int(cells.size()); ++k) cells[k] = k;
  for (int k = int(cells.size()) - 1; k > 0; --k) std::swap(cells[k], cells[rng.uniform(0, k + 1)]);
  const double x0 = (size.width - cols * cell) / 2.0, y0 = (size.height - rows * cell) / 2.0;
  for (int s = 0; s < stamps; ++s) {
    const double jitter = pattern.cartridge->pitch_px;
    pattern.stamps.push_back({x0 + (cells[s] % cols + 0.5) * cell + rng.uniform(-jitter, jitter),
                              y0 + (cells[s] / cols + 0.5) * cell + rng.uniform(-jitter, jitter),
                              rng.uniform(0.0, 360.0)});
  }
  std::vector<TruthPuncture> holes;
  for (int s = 0; s < stamps; ++s) {
    const std::vector<cv::Point2d> points = StampNeedles(*pattern.cartridge, pattern.stamps[s]);
    for (int n = 0; n < needles; ++n) {
      if (listed(pattern.missing_needles, n)) continue;
      TruthPuncture h;
      h.x = points[n].x + rng.gaussian(0.2);
      h.y = points[n].y + rng.gaussian(0.2);
      h.radius_px = std::clamp(rng.uniform(0.1, 0.22) * px_per_mm, 1.5, 4.0);
      h.amplitude = listed(pattern.faint_needles, n) ? rng.uniform(0.15, 0.3) : rng.uniform(0.5, 1.3);
      h.stamp = s;
      h.needle = n;
      holes.push_back(h);
    }
  }
  MarkOccluded(holes, canvas.surface.hair_alpha);
  std::sort(pattern.missing_needles.begin(), pattern.missing_needles.end());
  pattern.missing_needles.erase(std::unique(pattern.missing_needles.begin(), pattern.missing_needles.end()),
                                pattern.missing_needles.end());
  std::sort(pattern.faint_needles.begin(), pattern.faint_needles.end());
  pattern.faint_needles.erase(std::unique(pattern.faint_needles.begin(), pattern.faint_needles.end()),
                              pattern.faint_needles.end());
  t.pattern = pattern;
  PhotographView(canvas, cv::Matx33d::eye(), size, 1.0, holes, Mix(seed, 4), o.jpeg_quality,
                 o.format, o.family, image);
  return {image};
}

std::vector<SceneImage> RenderPair(std::uint64_t seed, const SceneOptions& o) {
  cv::RNG rng(Mix(seed, 5));
  const cv::Size size(o.width_px, o.height_px);
  const int margin = int(0.15 * std::max(size.width, size.height));
  const cv::Size canvas_size(size.width + 2 * margin, size.height + 2 * margin);
  SceneTruth before_truth;
  before_truth.skin_type = o.skin_type ? o.skin_type : rng.uniform(1, 7);
  const double px_per_mm = DrawPxPerMm(rng);
  before_truth.mm_per_px = 1.0 / px_per_mm;  // of BEFORE; AFTER's differs by the camera's scale
  const TreatedCanvas canvas =
      DrawTreatedSkin(canvas_size, cv::Rect(margin, margin, size.width, size.height),
                      before_truth.skin_type, o.pattern, true, px_per_mm, rng, before_truth,
                      ModelOf(o.family));
  const double healing = o.healing_fraction >= 0 ? o.healing_fraction : rng.uniform(0.2, 0.9);

  // The camera move: rotation, scale and shift about the image centre, a little perspective.
  const double angle = rng.uniform(-8.0, 8.0) * CV_PI / 180, scale = rng.uniform(0.9, 1.1);
  const double cx = (size.width - 1) / 2.0, cy = (size.height - 1) / 2.0;
  const double tx = rng.uniform(-0.05, 0.05) * size.width, ty = rng.uniform(-0.05, 0.05) * size.height;
  const cv::Matx33d to_centre(1, 0, -cx, 0, 1, -cy, 0, 0, 1), from_centre(1, 0, cx + tx, 0, 1, cy + ty, 0, 0, 1);
  const cv::Matx33d similarity(scale * std::cos(angle), -scale * std::sin(angle), 0,
                               scale * std::sin(angle), scale * std::cos(angle), 0, 0, 0, 1);
  const double tilt_y = rng.uniform(-2e-5, 2e-5), tilt_x = rng.uniform(-2e-5, 2e-5);  // GCC's order
  const cv::Matx33d perspective(1, 0, 0, 0, 1, 0, tilt_x, tilt_y, 1);
  cv::Matx33d before_to_after = from_centre * perspective * similarity * to_centre;
  before_to_after *= 1.0 / before_to_after(2, 2);
  const cv::Matx33d canvas_to_before(1, 0, -margin, 0, 1, -margin, 0, 0, 1);

  std::vector<TruthPuncture> before, after;
  std::vector<std::pair<size_t, size_t>> seen_twice;  // (index in before, in after)
  for (const TruthPuncture& p : canvas.punctures) {
    TruthPuncture b = p;
    const cv::Point2d pb = Apply(canvas_to_before, {p.x, p.y});
    b.x = pb.x;
    b.y = pb.y;
    if (!InsideFrame(pb, size)) continue;
    before.push_back(b);
    TruthPuncture a = b;
    const cv::Point2d pa = Apply(before_to_after, pb);
    a.x = pa.x;
    a.y = pa.y;
    a.radius_px = b.radius_px * scale;
    a.amplitude = b.amplitude * std::clamp((1.0 - healing) * rng.uniform(0.3, 1.5), 0.0, 1.0);
    if (!InsideFrame(pa, size)) continue;
    seen_twice.emplace_back(before.size() - 1, after.size());
    after.push_back(a);
  }

  std::vector<SceneImage> images(2);
  const std::string name = "pair-" + std::to_string(seed);
  const FamilyModel& model = ModelOf(o.family);
  const int quality = o.jpeg_quality ? o.jpeg_quality : rng.uniform(model.quality_min, model.quality_max + 1);
  for (int k = 0; k < 2; ++k) {
    SceneTruth& t = images[k].truth;
    t = before_truth;
    t.kind = SceneKind::kPair;
    t.seed = seed;
    t.name = name + (k ? "-after" : "-before");
    t.width = size.width;
    t.height = size.height;
    t.surface = "skin";
    t.pattern = canvas.pattern;
    PairTruth pair;
    pair.role = k ? "after" : "before";
    pair.partner = name + (k ? "-before" : "-after");
    pair.before_to_after = before_to_after;
    pair.healing_fraction = healing;
    t.pair = pair;
  }
  PhotographView(canvas, canvas_to_before, size, 1.0, before, Mix(seed, 6), quality, o.format,
                 o.family, images[0]);
  images[1].truth.mm_per_px = before_truth.mm_per_px / scale;
  PhotographView(canvas, before_to_after * canvas_to_before, size, 1.0 - healing, after,
                 Mix(seed, 8), quality, o.format, o.family, images[1]);
  // Persistence from the photographed truth: visibility there includes each photo's glare.
  int persisting = 0, counted = 0;
  for (const auto& [b, a] : seen_twice) {
    if (!images[0].truth.punctures[b].visible) continue;
    ++counted;
    persisting += images[1].truth.punctures[a].visible;
  }
  for (SceneImage& image : images) image.truth.pair->puncture_persistence = counted ? double(persisting) / counted : 0.0;
  return images;
}

}  // namespace

std::vector<SceneImage> RenderScene(SceneKind kind, std::uint64_t seed, const SceneOptions& options) {
  switch (kind) {
    case SceneKind::kSkinTreated:
    case SceneKind::kSkinUntreated: return RenderSkin(kind, seed, options);
    case SceneKind::kSubstrate: return RenderSubstrate(seed, options);
    case SceneKind::kPair: return RenderPair(seed, options);
  }
  return {};
}

}  // namespace needlescope::synth
