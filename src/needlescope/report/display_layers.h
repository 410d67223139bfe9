#pragma once

// The raster layers of a report page, made at display size (the long side at most
// kDisplayLongSide px): the photo as JPEG and the redness heat map as a translucent WebP.
// Everything else a report shows (punctures, regions, gaps) is drawn as vectors from the
// results, in the photo's own pixel coordinates.

#include <cstdint>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::report {

inline constexpr int kDisplayLongSide = 2400;  // px; a 24 MP photo's JPEG is then ~1 MB
inline constexpr int kDisplayJpegQuality = 85;
// The heat map is smooth (a blurred map): half the photo layer's size, stretched under it.
inline constexpr int kHeatLayerLongSide = kDisplayLongSide / 2;

// The photo's size scaled so that its long side is at most `long_side` (never enlarged).
cv::Size DisplaySize(cv::Size photo, int long_side = kDisplayLongSide);

// `bgr` (8-bit, 3 channels) reduced to `display` (area averaging) and JPEG-encoded.
std::vector<std::uint8_t> DisplayJpeg(const cv::Mat& bgr, cv::Size display, int quality = kDisplayJpegQuality);

struct HeatLayer {
  std::vector<std::uint8_t> image;  // encoded BGRA at the display size; transparent off skin
  std::string mime;                 // of `image`
  double top = 0;                 // the map value drawn at the top colour (yellow)
};

// A per-pixel map (CV_32F, NaN where not measured) as a viridis heat layer at `display`:
// 0 → dark blue, `top` → yellow, alpha `opacity` where measured. `top` is the 99th
// percentile of the reduced map inside `scope` (8-bit mask of the map's size; empty = all
// measured pixels), at least `min_top`. Display pixels that average over an unmeasured
// pixel are left transparent (the skin's edge loses at most one display pixel).
HeatLayer MakeHeatLayer(const cv::Mat& map, const cv::Mat& scope, cv::Size display, double min_top = 0.05,
                        double opacity = 0.7);

}  // namespace needlescope::report
