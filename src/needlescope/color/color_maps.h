#pragma once

// Per-pixel colour maps of a photo, computed through the tiled engine (identical for any
// tile size and thread count). Memory: each float map is one full-size plane (4 bytes/px);
// ComputeChromophoreMaps holds 3 (melanin, hemoglobin, erythema index) plus the 1-byte mask.

#include <array>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/color/srgb.h"  // OpticalDensityTable, kLinearFloor
#include "needlescope/tiling/tile_grid.h"

namespace needlescope::color {

// Skin mask (CV_8U, 255 = skin): the pixels every redness statistic uses. A pixel is left
// out when (1) any channel is >= 250 of 255 (clipped, specular glint), (2) its linear
// luminance is under 0.35 x the mean of the 31 x 31 px around it (hair, shadowed folds,
// moles' cores, deep pores), or (3) its linear red is below its green (not skin: stains,
// background, clothing). Rule (2) uses integer sums, so the mask is exact under tiling.
cv::Mat ComputeSkinMask(const cv::Mat& bgr, const TilingOptions& tiling);
// Rule (2)'s luminance of a pixel (B, G, R codes): linear Y in 1/65535 steps, rounded half up.
int SkinMaskLuminance(const cv::Vec3b& p);

struct ChromophoreMaps {
  cv::Mat melanin;         // CV_32F, units of the melanin vector
  cv::Mat hemoglobin;      // CV_32F, units of the hemoglobin vector
  cv::Mat erythema_index;  // CV_32F, EI = 100 * log10(R / G), linear camera RGB (Dawson 1980 form)
};

ChromophoreMaps ComputeChromophoreMaps(const cv::Mat& bgr, const ChromophoreVectors& vectors,
                                       const TilingOptions& tiling);

// One of the maps alone (component 0 melanin, 1 hemoglobin), the same values, one plane.
cv::Mat ComputeChromophoreMap(const cv::Mat& bgr, const ChromophoreVectors& vectors, int component,
                              const TilingOptions& tiling);

// The maps' values of one pixel (B, G, R codes), exactly as the maps hold them: for
// statistics computed from the photo row by row without a full-size plane.
inline float MelaninOf(const cv::Vec3b& p, const Unmixer& unmixer) {
  const auto& od = OpticalDensityTable();
  return float(unmixer.Unmix(od[p[2]], od[p[1]], od[p[0]])[0]);
}
inline float HemoglobinOf(const cv::Vec3b& p, const Unmixer& unmixer) {
  const auto& od = OpticalDensityTable();
  return float(unmixer.Unmix(od[p[2]], od[p[1]], od[p[0]])[1]);
}
inline float ErythemaIndexOf(const cv::Vec3b& p) {
  const auto& od = OpticalDensityTable();
  return float(100.0 * (od[p[1]] - od[p[2]]));  // 100 log10(R/G)
}
float AStarOf(const cv::Vec3b& p, const std::array<double, 3>& gains_rgb);

// AStarOf through a cache of the last colour seen in each of 65 536 slots (direct-mapped,
// 512 KB): the same floats, computed once per colour while it stays in its slot. a* takes
// two cube roots per pixel and was the redness stage's largest cost (perf: 18 %); skin
// photos repeat their colours (the synthetic ones hold 12 000 - 23 000 distinct colours at
// 0.8 - 24 MP, 97 - 99 % hits in row order). Real photos hold more; a miss costs a lookup
// more than AStarOf. One per thread: not for sharing.
class AStarCache {
 public:
  AStarCache();
  float Of(const cv::Vec3b& p, const std::array<double, 3>& gains_rgb);

 private:
  std::array<double, 3> gains_rgb_;  // the gains the cached values are for
  std::vector<std::uint32_t> colour_;  // per slot: 0xRRGGBB, or kEmpty
  std::vector<float> a_star_;
};

// CIELAB a* (D65) of every pixel after multiplying linear R, G, B by `gains_rgb`.
cv::Mat ComputeAStarMap(const cv::Mat& bgr, const std::array<double, 3>& gains_rgb,
                        const TilingOptions& tiling);

}  // namespace needlescope::color
