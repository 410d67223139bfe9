#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/puncture.h"

namespace needlescope::report {

// The photo with a circle at every detected puncture (radius 1.5 x the estimated radius, at
// least 3 px, so small ones stay visible), coloured by score on the viridis scale (dark
// purple = low, yellow = high), and in the corner the count and a bar of that scale from
// score 0 to 1 (labelled), so that the colours can be read without the documentation: for a
// clinician to check the detections by eye.
cv::Mat RenderPunctureOverlay(const cv::Mat& bgr, const std::vector<Puncture>& punctures);

// Where the score bar is drawn on a photo of `size`: its left column is score 0, its right
// column score 1 (grows with the photo, as the text does).
cv::Rect ScoreBarRect(cv::Size size);

}  // namespace needlescope::report
