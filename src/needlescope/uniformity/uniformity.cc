#include "needlescope/uniformity/uniformity.h"

#include <algorithm>
#include <cmath>
#include <opencv2/imgproc.hpp>
#include <sstream>

namespace needlescope::uniformity {
namespace {

// A raster over the window's bounding box, `step` px per cell (about 4 million cells at
// most), for the region outputs (gaps, hotspots): these are pictures of where, not
// statistics matched against spatstat.
struct Raster {
  cv::Point2d origin;
  double step = 1;
  cv::Size size;
  cv::Mat window;  // CV_8U, 255 inside

  cv::Point Cell(cv::Point2d p) const {
    return {std::clamp(int((p.x - origin.x) / step), 0, size.width - 1),
            std::clamp(int((p.y - origin.y) / step), 0, size.height - 1)};
  }
  cv::Point2d Centre(cv::Point c) const {
    return origin + step * cv::Point2d(c.x + 0.5, c.y + 0.5);
  }
};

Raster MakeRaster(const Window& window, double min_step) {
  Raster r;
  const cv::Rect2d b = window.bounds();
  r.origin = b.tl();
  r.step = std::max({1.0, std::sqrt(b.area() / 4e6), min_step});
  r.size = cv::Size(std::max(1, int(std::ceil(b.width / r.step))),
                    std::max(1, int(std::ceil(b.height / r.step))));
  r.window = cv::Mat::zeros(r.size, CV_8U);
  constexpr int kShift = 8;  // sub-cell vertex precision for fillPoly
  std::vector<cv::Point> vertices;
  for (const cv::Point2d& v : window.vertices()) {
    const cv::Point2d c = (v - r.origin) * (1.0 / r.step) - cv::Point2d(0.5, 0.5);
    vertices.emplace_back(int(std::lround(c.x * (1 << kShift))),
                          int(std::lround(c.y * (1 << kShift))));
  }
  cv::fillPoly(r.window, std::vector<std::vector<cv::Point>>{vertices}, 255, cv::LINE_8, kShift);
  return r;
}

std::vector<Region> Outlines(const cv::Mat& mask, const Raster& r) {
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask.clone(), contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::vector<Region> regions;
  for (const auto& contour : contours) {
    Region region;
    for (const cv::Point& c : contour) region.outline.push_back(r.Centre(c));
    region.area_px = std::max(std::abs(SignedArea(region.outline)), r.step * r.step);
    regions.push_back(std::move(region));
  }
  std::sort(regions.begin(), regions.end(),
            [](const Region& a, const Region& b) { return a.area_px > b.area_px; });
  return regions;
}

double Fraction(const cv::Mat& mask, const Raster& r) {
  const int inside = cv::countNonZero(r.window);
  return inside ? double(cv::countNonZero(mask)) / inside : 0.0;
}

void HotspotsOn(const Raster& r,
                const std::vector<cv::Point2d>& points,
                const Window& window,
                UniformityResult* out);

void FindGapsAndHotspots(const std::vector<cv::Point2d>& points,
                         const Window& window,
                         UniformityResult* out) {
  const Raster r = MakeRaster(window, /*min_step=*/1.0);
  // Gaps: distance from each cell centre to the nearest puncture's cell (within a cell of
  // the exact distance, which is all a picture of where the gaps are needs).
  cv::Mat sources(r.size, CV_8U, cv::Scalar(255));
  for (const cv::Point2d& p : points) sources.at<uint8_t>(r.Cell(p)) = 0;
  cv::Mat distance;
  cv::distanceTransform(sources, distance, cv::DIST_L2, cv::DIST_MASK_PRECISE);
  cv::Mat gap = (distance * r.step > out->gap_distance_px) & r.window;
  out->gaps = Outlines(gap, r);
  out->gap_fraction = Fraction(gap, r);
  // Hotspots: Gaussian kernel density against the mean intensity, on cells of at most a
  // tenth of the bandwidth (a wide kernel over fine cells would cost seconds for nothing).
  const Raster h = MakeRaster(window, /*min_step=*/out->hotspot_bandwidth_px / 10);
  HotspotsOn(h, points, window, out);
}

void HotspotsOn(const Raster& r,
                const std::vector<cv::Point2d>& points,
                const Window& window,
                UniformityResult* out) {
  cv::Mat counts = cv::Mat::zeros(r.size, CV_32F);
  for (const cv::Point2d& p : points) counts.at<float>(r.Cell(p)) += 1.0f;
  cv::Mat density;
  const double sigma = out->hotspot_bandwidth_px / r.step;
  cv::GaussianBlur(counts, density, cv::Size(), sigma, sigma, cv::BORDER_CONSTANT);
  const double mean_per_cell = double(points.size()) / window.area() * r.step * r.step;
  cv::Mat hot = (density > out->hotspot_factor_used * mean_per_cell) & r.window;
  out->hotspots = Outlines(hot, r);
  out->hotspot_fraction = Fraction(hot, r);
}

}  // namespace

std::string UniformityOptions::Check() const {
  std::ostringstream m;
  for (int k : quadrat_k) {
    if (k < 1 || k > 64)
      return (m << "uniformity.quadrat_k = " << k << ": must be in [1, 64]", m.str());
  }
  for (double r : effect_radii_px) {
    if (!(r > 0)) return (m << "uniformity.effect_radius = " << r << ": must be > 0", m.str());
  }
  if (!(gap_distance_px >= 0))
    m << "uniformity.gap_distance_px = " << gap_distance_px << ": must be >= 0";
  else if (!(hotspot_factor > 1))
    m << "uniformity.hotspot_factor = " << hotspot_factor << ": must be > 1";
  else if (!(hotspot_bandwidth_px >= 0))
    m << "uniformity.hotspot_bandwidth_px = " << hotspot_bandwidth_px << ": must be >= 0";
  else if (!(mm_per_px >= 0) || !std::isfinite(mm_per_px))
    m << "uniformity.mm_per_px = " << mm_per_px << ": must be finite and >= 0 (0: unknown)";
  else if (target_density_per_cm2 &&
           !(target_density_per_cm2->first >= 0 &&
             target_density_per_cm2->second >= target_density_per_cm2->first))
    m << "uniformity.target_density = " << target_density_per_cm2->first << ":"
      << target_density_per_cm2->second << ": must be MIN:MAX with 0 <= MIN <= MAX";
  else if (target_density_per_cm2 && !(mm_per_px > 0))
    m << "uniformity.target_density: needs the photo scale (mm_per_px)";
  return m.str();
}

UniformityResult MeasureUniformity(const std::vector<cv::Point2d>& points,
                                   const Window& window,
                                   const UniformityOptions& options) {
  const std::vector<char> inside = window.ContainsEach(points);
  if (const auto out = std::find(inside.begin(), inside.end(), 0); out != inside.end()) {
    const cv::Point2d p = points[size_t(out - inside.begin())];
    std::ostringstream m;
    m << "point (" << p.x << ", " << p.y << ") is outside the window";
    throw WindowError(m.str());
  }
  UniformityResult out;
  out.n = int(points.size());
  out.window_area_px = window.area();
  const double intensity = out.n / window.area();  // per px²
  out.intensity_per_mpx = intensity * 1e6;
  if (options.mm_per_px > 0)
    out.intensity_per_cm2 = intensity / (options.mm_per_px * options.mm_per_px) * 100;
  if (options.target_density_per_cm2 && out.intensity_per_cm2) {
    out.density_in_target = *out.intensity_per_cm2 >= options.target_density_per_cm2->first &&
                            *out.intensity_per_cm2 <= options.target_density_per_cm2->second;
  }
  if (out.n >= 1) {
    for (int k : options.quadrat_k) out.quadrats.push_back(ComputeQuadrats(points, window, k));
  }
  if (out.n < 2) {
    out.undefined =
        "fewer than 2 points: spacing, Clark-Evans, Voronoi, coverage, gaps and hotspots are "
        "undefined";
    out.verdict = "sparse";
    return out;
  }
  const std::vector<double> nn = NearestNeighbourDistances(points);
  for (size_t i = 0; i < nn.size(); ++i) {
    if (nn[i] == 0)
      throw WindowError("two points coincide (" + std::to_string(points[i].x) + ", " +
                        std::to_string(points[i].y) + ")");
  }
  out.nn = Summarise(nn);
  out.clark_evans = ComputeClarkEvans(points, nn, window);
  const std::vector<Polygon> tiles = DirichletTiles(points, window);
  std::vector<double> areas;
  for (const Polygon& t : tiles) areas.push_back(std::abs(SignedArea(t)));
  out.voronoi = Summarise(areas);
  for (double r : options.effect_radii_px)
    out.coverage.emplace_back(r, CoverageFraction(points, tiles, window, r));
  out.largest_empty_circle = LargestEmptyCircle(points, tiles, window);

  const double spacing = 1 / std::sqrt(intensity);  // mean spacing of a square grid
  out.gap_distance_px = options.gap_distance_px > 0 ? options.gap_distance_px : 1.5 * spacing;
  out.hotspot_bandwidth_px =
      options.hotspot_bandwidth_px > 0 ? options.hotspot_bandwidth_px : spacing;
  out.hotspot_factor_used = options.hotspot_factor;
  FindGapsAndHotspots(points, window, &out);

  // Score and verdict (docs/uniformity.md). Regularity from the edge-corrected Clark-Evans
  // R (the naive one reads a Poisson pattern as regular because edge points have longer
  // nearest-neighbour distances): R = 1 (random) scores 50, R >= 1.5 scores 100. Gaps and
  // hotspots cost five times their share of the window: an untreated fifth of the area
  // fails the treatment whatever the rest looks like.
  const double r = out.clark_evans->cdf.value_or(out.clark_evans->naive);
  const double regularity = std::clamp(r - 0.5, 0.0, 1.0);
  out.score = 100 * regularity * std::max(0.0, 1 - 5 * out.gap_fraction) *
              std::max(0.0, 1 - 5 * out.hotspot_fraction);
  const bool regular = r >= 1.2;
  const bool clustered_test = r < 0.8;
  if (out.density_in_target == false &&
      *out.intensity_per_cm2 < options.target_density_per_cm2->first) {
    out.verdict = "sparse";
  } else if (out.gap_fraction >= 0.01) {
    out.verdict = "gaps";
  } else if (out.hotspot_fraction >= 0.01 || clustered_test) {
    out.verdict = "clustered";
  } else {
    out.verdict = regular ? "even" : "random";
  }
  return out;
}

}  // namespace needlescope::uniformity
