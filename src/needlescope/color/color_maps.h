#pragma once

// Per-pixel colour maps of a photo, computed through the tiled engine (identical for any
// tile size and thread count). Memory: each float map is one full-size plane (4 bytes/px);
// ComputeChromophoreMaps holds 3 (melanin, hemoglobin, erythema index) plus the 1-byte mask.

#include <array>

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

struct ChromophoreMaps {
  cv::Mat melanin;         // CV_32F, units of the melanin vector
  cv::Mat hemoglobin;      // CV_32F, units of the hemoglobin vector
  cv::Mat erythema_index;  // CV_32F, EI = 100 * log10(R / G), linear camera RGB (Dawson 1980 form)
};

ChromophoreMaps ComputeChromophoreMaps(const cv::Mat& bgr, const ChromophoreVectors& vectors,
                                       const TilingOptions& tiling);

// CIELAB a* (D65) of every pixel after multiplying linear R, G, B by `gains_rgb`.
cv::Mat ComputeAStarMap(const cv::Mat& bgr, const std::array<double, 3>& gains_rgb,
                        const TilingOptions& tiling);

}  // namespace needlescope::color
