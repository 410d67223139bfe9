#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/puncture.h"

namespace needlescope::report {

// The photo with a circle at every detected puncture (radius 1.5 x the estimated radius, at
// least 3 px, so small ones stay visible), coloured by score on the viridis scale (dark
// purple = low, yellow = high), and the count written in the corner: for a clinician to
// check the detections by eye.
cv::Mat RenderPunctureOverlay(const cv::Mat& bgr, const std::vector<Puncture>& punctures);

}  // namespace needlescope::report
