#pragma once

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/puncture.h"

namespace needlescope::qc {

// Blood lying on the skin (an adverse-event screen, flag possible_bleeding): the largest
// connected area at least as bloody as the darkest punctures: the 90th percentile of
// Δhemoglobin at the accepted punctures' centres (the blood a needle draws, in this photo's
// own units; the median was reached by intense erythema patches on our tuning photos); the area is compared with a puncture's own (π r², r the punctures' median
// radius), so the test needs no physical scale.
struct PooledBlood {
  bool measured = false;     // false without punctures or without a Δhemoglobin map
  double blood_level = 0;    // Δhemoglobin, 90th percentile at the punctures' centres
  double puncture_area_px = 0;  // π r² of the median radius
  double largest_area_px = 0;   // the largest connected area at or above blood_level
  cv::Point2d largest_centre;   // its centroid, px
};

PooledBlood MeasurePooledBlood(const cv::Mat& delta_hemoglobin, const std::vector<Puncture>& punctures);

}  // namespace needlescope::qc
