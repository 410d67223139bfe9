#include "needlescope/synth/skin.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/synth/layers.h"

namespace needlescope::synth {
namespace {

cv::Point2d RandomPoint(cv::Size size, cv::RNG& rng) {
  return {rng.uniform(0.0, double(size.width)), rng.uniform(0.0, double(size.height))};
}

int PoissonCount(double mean, cv::RNG& rng) {
  int n = 0;
  for (double t = -std::log(1.0 - rng.uniform(0.0, 1.0)); t < mean;
       t += -std::log(1.0 - rng.uniform(0.0, 1.0))) {
    ++n;
  }
  return n;
}

// Pores: small dark pits, mostly neutral shading with a little melanin; sizes and contrast
// overlap the punctures' on purpose.
void DrawPores(SurfaceLayers& s, double base_mel, const FamilyModel& family, cv::RNG& rng,
               SceneTruth& truth) {
  const cv::Size size = s.maps.melanin.size();
  const int n = PoissonCount(rng.uniform(family.pores_per_mpx_min, family.pores_per_mpx_max) * size.area() / 1e6, rng);
  cv::Mat pit(size, CV_32F, cv::Scalar(0));
  for (int k = 0; k < n; ++k) {
    const cv::Point2d p = RandomPoint(size, rng);
    const double r = rng.uniform(0.8, 2.5), depth = rng.uniform(0.08, 0.5);
    AddGaussianSpot(pit, p.x, p.y, r, depth);
    AddGaussianSpot(s.maps.melanin, p.x, p.y, r, 0.25 * depth * (base_mel + 0.2));
  }
  cv::min(pit, 0.8, pit);
  s.maps.shade = s.maps.shade.mul(1.0 - pit);
  truth.confounders.pores = n;
}

// Relief: the criss-cross of fine skin lines, slightly darker furrows.
void DrawRelief(SurfaceLayers& s, cv::RNG& rng) {
  const cv::Size size = s.maps.melanin.size();
  cv::Mat relief(size, CV_32F, cv::Scalar(0));
  const double dir1 = rng.uniform(0.0, CV_PI), dir2 = dir1 + rng.uniform(0.9, 1.6);
  const int n = size.area() / 2500;
  for (int k = 0; k < n; ++k) {
    const double dir = (k % 2 ? dir1 : dir2) + rng.gaussian(0.15);
    const double len = rng.uniform(10.0, 45.0);
    const cv::Point2d c = RandomPoint(size, rng), d(std::cos(dir) * len / 2, std::sin(dir) * len / 2);
    cv::line(relief, c - d, c + d, cv::Scalar(rng.uniform(0.02, 0.07)), 1, cv::LINE_AA);
  }
  cv::GaussianBlur(relief, relief, cv::Size(), 0.7);
  s.maps.shade = s.maps.shade.mul(1.0 - relief);
}

void DrawFreckles(SurfaceLayers& s, int skin_type, double base_mel, cv::RNG& rng,
                  SceneTruth& truth) {
  const cv::Size size = s.maps.melanin.size();
  static const int kMaxFreckles[6] = {60, 40, 20, 10, 6, 4};
  const int n = rng.uniform(0, kMaxFreckles[skin_type - 1] + 1) * size.area() / 786432;
  for (int k = 0; k < n; ++k) {
    const cv::Point2d c = RandomPoint(size, rng);
    const double amplitude = (0.3 + base_mel) * rng.uniform(0.25, 0.8);
    for (int blob = rng.uniform(1, 4); blob > 0; --blob) {  // irregular outline
      const double radius = rng.uniform(2.0, 7.0), dy = rng.gaussian(2.0), dx = rng.gaussian(2.0);  // GCC's order
      AddGaussianSpot(s.maps.melanin, c.x + dx, c.y + dy, radius, amplitude / 1.5);
    }
  }
  const int moles = rng.uniform(0, 4);
  for (int k = 0; k < moles; ++k) {
    const cv::Point2d c = RandomPoint(size, rng);
    const double radius = rng.uniform(5.0, 14.0), amplitude = rng.uniform(0.4, 1.2);
    for (int lobe = 0; lobe < 3; ++lobe) {  // slightly irregular outline
      const double edge = rng.uniform(0.6, 1.5), lobe_radius = radius * rng.uniform(0.7, 1.0);  // GCC's order
      const double dy = rng.gaussian(0.15 * radius), dx = rng.gaussian(0.15 * radius);
      AddFlatSpot(s.maps.melanin, c.x + dx, c.y + dy, lobe_radius, edge, amplitude / 2);
    }
  }
  truth.confounders.freckles = n;
  truth.confounders.moles = moles;
}

// Red things that are not punctures: fine vessels (telangiectasia), cherry angiomas, papules.
void DrawRedLookAlikes(SurfaceLayers& s, cv::RNG& rng, SceneTruth& truth) {
  const cv::Size size = s.maps.melanin.size();
  const double per_image = size.area() / 786432.0;  // counts below are per 1024 x 768
  cv::Mat vessels(size, CV_32F, cv::Scalar(0));
  truth.confounders.vessels = int(rng.uniform(0, 7) * per_image);
  for (int k = 0; k < truth.confounders.vessels; ++k) {
    const cv::Point2d p0 = RandomPoint(size, rng);
    const double dir = rng.uniform(0.0, 2 * CV_PI), len = rng.uniform(20.0, 120.0);
    const cv::Point2d p2 = p0 + cv::Point2d(std::cos(dir), std::sin(dir)) * len;
    const double bend_y = rng.gaussian(0.3 * len), bend_x = rng.gaussian(0.3 * len);  // GCC's order
    const double strength = rng.uniform(0.15, 0.4), width = rng.uniform(0.8, 1.8);
    DrawStrand(vessels, p0, (p0 + p2) * 0.5 + cv::Point2d(bend_x, bend_y), p2, width, strength);
  }
  s.maps.hemoglobin += vessels;
  truth.confounders.angiomas = int(rng.uniform(0, 3) * per_image);
  for (int k = 0; k < truth.confounders.angiomas; ++k) {
    const cv::Point2d c = RandomPoint(size, rng);
    const double amplitude = rng.uniform(0.6, 1.5), edge = rng.uniform(0.5, 1.2), radius = rng.uniform(4.0, 12.0);  // GCC's order
    AddFlatSpot(s.maps.hemoglobin, c.x, c.y, radius, edge, amplitude);
  }
  truth.confounders.papules = int(rng.uniform(0, 5) * per_image);
  for (int k = 0; k < truth.confounders.papules; ++k) {
    const cv::Point2d c = RandomPoint(size, rng);
    const double amplitude = rng.uniform(0.15, 0.35), sigma = rng.uniform(6.0, 16.0);  // GCC's order
    AddGaussianSpot(s.maps.hemoglobin, c.x, c.y, sigma, amplitude);
  }
}

// Specular reflection: tiny glints off sweat and sebum and a broad, patchy sheen.
void DrawSpecular(SurfaceLayers& s, double glints_per_mpx, double sheen, cv::RNG& rng,
                  SceneTruth& truth) {
  const cv::Size size = s.maps.melanin.size();
  s.specular = sheen * SmoothNoise(size, rng.uniform(40.0, 120.0), rng) - 1.5 * sheen;
  cv::max(s.specular, 0.0, s.specular);
  truth.confounders.glints = PoissonCount(glints_per_mpx * size.area() / 1e6, rng);
  for (int k = 0; k < truth.confounders.glints; ++k) {
    const cv::Point2d p = RandomPoint(size, rng);
    const double amplitude = rng.uniform(0.05, 0.3), sigma = rng.uniform(0.5, 1.5);  // GCC's order
    AddGaussianSpot(s.specular, p.x, p.y, sigma, amplitude);
  }
}

void DrawHair(SurfaceLayers& s, int max_strands, bool dark, cv::RNG& rng, int& count) {
  const cv::Size size = s.maps.melanin.size();
  count = rng.uniform(0, max_strands + 1);
  for (int k = 0; k < count; ++k) {
    const cv::Point2d p0 = RandomPoint(size, rng);
    const double dir = rng.uniform(0.0, 2 * CV_PI), len = rng.uniform(40.0, 300.0);
    const cv::Point2d p2 = p0 + cv::Point2d(std::cos(dir), std::sin(dir)) * len;
    const cv::Point2d bend = cv::Point2d(-std::sin(dir), std::cos(dir)) * rng.uniform(-0.3, 0.3) * len;
    const double opacity = dark ? rng.uniform(0.6, 0.95) : rng.uniform(0.2, 0.45);
    DrawStrand(s.hair_alpha, p0, (p0 + p2) * 0.5 + bend, p2, rng.uniform(0.8, 2.5), opacity);
  }
}

}  // namespace

// Cross-polarised light removes the surface reflection: only the diffuse image is seen.
void RemoveSurfaceReflection(SurfaceLayers& s, SceneTruth& truth) {
  s.specular = cv::Mat::zeros(s.specular.size(), CV_32F);
  truth.confounders.glints = 0;
}

SurfaceLayers DrawSkin(cv::Size size, int skin_type, cv::RNG& rng, SceneTruth& truth,
                       const FamilyModel& family) {
  SurfaceLayers s;
  s.spectra = {family.melanin, family.hemoglobin, family.stain};
  const cv::Vec2d mel_range = MelaninRange(skin_type);
  const double base_mel = rng.uniform(mel_range[0], mel_range[1]);
  const double base_hb = rng.uniform(0.07, 0.16);
  // Each field drawn on its own line, in the order GCC drew them as operands of one
  // expression (OpenCV's matrix operators are calls, whose arguments GCC takes last first).
  const cv::Mat fine_melanin = SmoothNoise(size, family.fine_texture_px, rng);
  const cv::Mat medium_melanin = SmoothNoise(size, 15.0, rng);
  const double coarse_px = rng.uniform(60.0, 140.0);
  const cv::Mat coarse_melanin = SmoothNoise(size, coarse_px, rng);
  const double coarse_amount = rng.uniform(0.05, 0.12);
  s.maps.melanin = base_mel * (1.0 + coarse_amount * coarse_melanin + 0.05 * medium_melanin) +
                   family.fine_texture_amount * fine_melanin;
  const cv::Mat fine_hemoglobin = SmoothNoise(size, 1.5, rng);
  const double hemoglobin_px = rng.uniform(30.0, 90.0);
  const cv::Mat coarse_hemoglobin = SmoothNoise(size, hemoglobin_px, rng);
  s.maps.hemoglobin = base_hb * (1.0 + 0.3 * coarse_hemoglobin) + 0.008 * fine_hemoglobin;
  cv::max(s.maps.hemoglobin, 0.0, s.maps.hemoglobin);
  cv::max(s.maps.melanin, 0.0, s.maps.melanin);
  s.maps.stain = cv::Mat::zeros(size, CV_32F);
  s.maps.shade = 1.0 + 0.02 * SmoothNoise(size, 1.2, rng);
  DrawRelief(s, rng);
  DrawPores(s, base_mel, family, rng, truth);
  DrawFreckles(s, skin_type, base_mel, rng, truth);
  DrawRedLookAlikes(s, rng, truth);
  const double sheen = rng.uniform(0.0, 0.06), glints = rng.uniform(0.0, 300.0);  // GCC's order
  DrawSpecular(s, glints, sheen, rng, truth);
  if (family.lighting == LightKind::kCrossPolarised) RemoveSurfaceReflection(s, truth);

  s.hair_alpha = cv::Mat::zeros(size, CV_32F);
  const bool dark_hair = rng.uniform(0.0, 1.0) < 0.35 + 0.1 * skin_type;
  s.hair_reflectance = dark_hair ? cv::Vec3f(0.015f, 0.02f, 0.03f) : cv::Vec3f(0.25f, 0.33f, 0.42f);
  DrawHair(s, 25, dark_hair, rng, truth.confounders.hairs);
  return s;
}

SurfaceLayers DrawFilm(cv::Size size, cv::RNG& rng, SceneTruth& truth, const FamilyModel& family) {
  SurfaceLayers s;
  s.spectra = {family.melanin, family.hemoglobin, family.stain};
  s.baseline = kFilmBaselineOd;
  s.maps.melanin = cv::Mat::zeros(size, CV_32F);
  s.maps.hemoglobin = cv::Mat::zeros(size, CV_32F);
  s.maps.stain = cv::Mat::zeros(size, CV_32F);
  const cv::Mat broad = SmoothNoise(size, 60.0, rng), fine = SmoothNoise(size, 2.5, rng);  // GCC's order
  s.maps.shade = 1.0 + 0.015 * fine + 0.03 * broad;
  cv::Mat speck(size, CV_32F, cv::Scalar(0));
  truth.confounders.specks = PoissonCount(rng.uniform(50.0, 300.0) * size.area() / 1e6, rng);
  for (int k = 0; k < truth.confounders.specks; ++k) {
    const cv::Point2d p = RandomPoint(size, rng);
    const double amplitude = rng.uniform(0.1, 0.5), sigma = rng.uniform(0.5, 1.8);  // GCC's order
    AddGaussianSpot(speck, p.x, p.y, sigma, amplitude);
  }
  cv::min(speck, 0.8, speck);
  s.maps.shade = s.maps.shade.mul(1.0 - speck);
  s.hair_alpha = cv::Mat::zeros(size, CV_32F);
  s.hair_reflectance = cv::Vec3f(0.2f, 0.2f, 0.2f);  // grey fibres
  const double sheen = rng.uniform(0.0, 0.02), glints = rng.uniform(0.0, 100.0);  // GCC's order
  DrawSpecular(s, glints, sheen, rng, truth);
  if (family.lighting == LightKind::kCrossPolarised) RemoveSurfaceReflection(s, truth);
  DrawHair(s, 6, /*dark=*/false, rng, truth.confounders.hairs);
  return s;
}

cv::Mat SurfaceReflectance(const SurfaceLayers& layers) {
  cv::Mat reflectance = Reflectance(layers.maps, layers.baseline, layers.spectra);
  for (int y = 0; y < reflectance.rows; ++y) {
    cv::Vec3f* p = reflectance.ptr<cv::Vec3f>(y);
    const float* a = layers.hair_alpha.ptr<float>(y);
    for (int x = 0; x < reflectance.cols; ++x) {
      const float shine = layers.specular.at<float>(y, x) * (1.0f - a[x]);
      p[x] = p[x] * (1.0f - a[x]) + layers.hair_reflectance * a[x] + cv::Vec3f(shine, shine, shine);
    }
  }
  return reflectance;
}

}  // namespace needlescope::synth
