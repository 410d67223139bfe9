#pragma once

// `needlescope compare --pictures`: the full-size PNG pictures of a comparison (docs/compare.md).

#include <opencv2/core.hpp>

#include "needlescope/healing/compare_pair.h"

namespace needlescope::report {

// Side by side: BEFORE and AFTER aligned into BEFORE's frame, punctures circled on each.
cv::Mat RenderSideBySide(const cv::Mat& before_bgr, const healing::CompareResult& r);
// Hemoglobin after minus before in BEFORE's frame, smoothed over 3 px (blue = less
// redness, red = more).
cv::Mat RenderHemoglobinDifference(const cv::Mat& before_bgr, const healing::CompareResult& r);

}  // namespace needlescope::report
