#pragma once

#include <opencv2/core.hpp>

namespace needlescope::testing {

// The 24 patches of a ColorChecker (Macbeth, sRGB D65 reference values, 8-bit) drawn on a
// black card at `at` (the card's top-left corner), patches `patch` px with gaps of a fifth of
// that, lightly blurred as a lens would; returns the card's rectangle.
cv::Rect DrawColorChecker(cv::Mat& bgr, cv::Point at, int patch);

// The reference colour of patch `i` (0-23, row by row), BGR.
cv::Vec3b ColorCheckerPatch(int i);

// The centre half of patch `i` of a card drawn at `at` with `patch` px.
cv::Rect ColorCheckerPatchCore(cv::Point at, int patch, int i);

}  // namespace needlescope::testing
