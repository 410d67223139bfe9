#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/puncture.h"
#include "needlescope/validate/validation.h"

namespace needlescope::validate {

// How much stain sits at a known place: the plane Σ w_c · OD_c (w: the stain's detection
// plane, detect::StainWeights::plane — red OD for blue stains) averaged over the disc of
// radius r around `place`, minus its median over the ring from r + 1 to 2.5 r + 1 px; 0 when
// the ring leaves the photo. A test at one place, not a search: where a needle must have left
// its hole, a fainter spot is evidence than a search of the whole photo can accept.
double StainContrastAt(const cv::Mat& bgr, cv::Point2d place, double r, const color::Rgb& weights);

// The test at a needle's place (docs/validation.md, method 7), for Validate: a place holds a
// hole when its stain contrast is at least `fraction` of the median contrast at the photo's
// detected holes, all measured alike (a disc of the holes' median radius). Relative to the
// photo itself, so neither the stain's strength nor the camera sets it. Keeps a reference to
// `bgr`; never confirms when there are no detected holes or fraction is 0.
PlaceCheck MakePlaceTest(const cv::Mat& bgr, const std::vector<Puncture>& detected, const color::Rgb& weights,
                         double fraction);

}  // namespace needlescope::validate
