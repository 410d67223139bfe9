#include "needlescope/detect/target_decision.h"

#include <sstream>

namespace needlescope::detect {

std::string TargetDecisionOptions::Check() const {
  std::ostringstream m;
  if (!(min_contrast_z > 0)) m << "target.min_contrast_z = " << min_contrast_z << ": must be > 0";
  else if (!(min_roundness >= 0 && min_roundness <= 1))
    m << "target.min_roundness = " << min_roundness << ": must be in [0, 1]";
  else if (min_stain_spots < 1) m << "target.min_stain_spots = " << min_stain_spots << ": must be >= 1";
  else if (!(min_stain_share >= 0 && min_stain_share <= 1))
    m << "target.min_stain_share = " << min_stain_share << ": must be in [0, 1]";
  else if (!(max_ring_blue_od > 0)) m << "target.max_ring_blue_od = " << max_ring_blue_od << ": must be > 0";
  return m.str();
}

TargetDecision DecideTarget(const std::vector<Candidate>& candidates, const TargetDecisionOptions& o) {
  TargetDecision d;
  for (const Candidate& c : candidates) {
    if (!(c.contrast > 0) || c.contrast_z < o.min_contrast_z || c.roundness < o.min_roundness ||
        c.ring_od_b > o.max_ring_blue_od) {
      continue;
    }
    ++d.distinct_spots;
    d.stain_like += c.stain_contrast >= o.min_stain_ratio * c.contrast;
  }
  d.stain = d.stain_like >= o.min_stain_spots && d.stain_like >= o.min_stain_share * d.distinct_spots;
  std::ostringstream why;
  why << d.stain_like << " of " << d.distinct_spots
      << " distinct round spots on a ring not too dark in blue absorb red more than blue (by >= " << o.min_stain_ratio
      << " of their green contrast; stain needs >= " << o.min_stain_spots << " and >= "
      << o.min_stain_share * 100 << " %): " << (d.stain ? "a blue stain" : "blood");
  d.reason = why.str();
  return d;
}

}  // namespace needlescope::detect
