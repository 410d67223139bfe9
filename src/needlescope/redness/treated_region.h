#pragma once

#include <opencv2/core.hpp>

namespace needlescope::redness {

struct TreatedRegionEstimate {
  cv::Mat mask;             // CV_8U 0/255; empty when none was found
  double separation = 0;    // (median inside - median outside) / robust sd outside, smoothed map
  double area_fraction = 0;
};

// Finds the treated area as the largest coherent region of raised hemoglobin: the
// hemoglobin map is smoothed over skin pixels only (normalised Gaussian, sigma 12 px), split
// by Otsu's threshold, cleaned (opening and closing, 9 px), reduced to its largest connected
// component with holes filled - all on a copy reduced 4 times (area averaging), the mask
// then brought back to full size. Accepted when it covers 2-90 % of the image and stands
// clearly above the rest: median inside minus median outside >= kMinSeparation robust
// standard deviations (1.4826 MAD) of the outside. Untreated skin's mottling does not pass.
TreatedRegionEstimate EstimateTreatedRegion(const cv::Mat& hemoglobin, const cv::Mat& skin);

inline constexpr double kMinSeparation = 4.0;

}  // namespace needlescope::redness
