#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/uniformity/uniformity.h"

namespace needlescope::report {

// OUT/<stem>.coverage.png: the photo dimmed, the window outlined (white), each puncture's
// effect disc (translucent green, the first effect radius; without one, a 2 px dot), gap
// regions (orange) and hotspots (magenta) outlined, the largest empty circle (cyan, with its
// centre), and a legend with the score and verdict - readable without the JSON.
cv::Mat RenderCoverageMap(const cv::Mat& bgr, const std::vector<cv::Point2d>& punctures,
                          const uniformity::Window& window, const uniformity::UniformityResult& result);

// Each puncture's effect disc of radius `r` px (translucent green) blended at half strength
// into `out`, which holds `bgr` dimmed to 0.4 (the coverage map's first layer). Drawn tile
// by tile: every pixel is what drawing the discs on one copy of the whole picture gives.
void BlendEffectDiscs(const cv::Mat& bgr, const std::vector<cv::Point2d>& punctures, double r, cv::Mat& out);

}  // namespace needlescope::report
