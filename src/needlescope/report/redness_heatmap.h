#pragma once

#include <opencv2/core.hpp>

#include "needlescope/redness/redness.h"

namespace needlescope::report {

// The photo in grey with Δhemoglobin over it in a perceptual colormap (viridis; 0 at the
// baseline mean up to the treated region's 99th percentile), off-skin pixels left grey, the
// treated region outlined in white and the baseline in cyan, and a colour bar with its
// units on the right. For a clinician to check by eye what was measured where.
cv::Mat RenderRednessHeatmap(const cv::Mat& bgr, const redness::RednessResult& result);

}  // namespace needlescope::report
