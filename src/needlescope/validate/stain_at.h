#pragma once

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"

namespace needlescope::validate {

// How much stain sits at a known place: the plane Σ w_c · OD_c (w: the stain's detection
// plane, detect::StainWeights::plane — red OD for blue stains) averaged over the disc of
// radius r around `place`, minus its median over the ring from r + 1 to 2.5 r + 1 px; 0 when
// the ring leaves the photo. A test at one place, not a search: where a needle must have left
// its hole, a fainter spot is evidence than a search of the whole photo can accept.
double StainContrastAt(const cv::Mat& bgr, cv::Point2d place, double r, const color::Rgb& weights);

}  // namespace needlescope::validate
