#include "needlescope/detect/target_decision.h"

#include <sstream>

#include "needlescope/detect/stain_direction.h"

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

TargetDecision DecideTarget(const std::vector<Candidate>& candidates, const TargetDecisionOptions& o,
                            const color::ChromophoreVectors& vectors, const std::optional<color::Rgb>& stain_od) {
  const bool custom = stain_od.has_value();
  const StainWeights weights = custom ? CustomStainWeights(*stain_od) : BlueStainWeights();
  TargetDecision d;
  for (const Candidate& c : candidates) {
    if (!(c.contrast > 0) || c.contrast_z < o.min_contrast_z || c.roundness < o.min_roundness ||
        c.ring_od_b > o.max_ring_blue_od) {
      continue;
    }
    ++d.distinct_spots;
    if (!custom) {
      d.stain_like += c.stain_contrast >= o.min_stain_ratio * c.contrast;
      continue;
    }
    const color::Rgb od = SpotMinusRingOd(c, vectors);
    const double contrast = weights.contrast[0] * od[0] + weights.contrast[1] * od[1] + weights.contrast[2] * od[2];
    const double to_stain = ChromaticAngleDeg(od, *stain_od);
    d.stain_like += contrast >= o.min_stain_ratio * c.contrast && to_stain < ChromaticAngleDeg(od, vectors.hemoglobin) &&
                    to_stain < ChromaticAngleDeg(od, vectors.melanin);
  }
  d.stain = d.stain_like >= o.min_stain_spots && d.stain_like >= o.min_stain_share * d.distinct_spots;
  std::ostringstream why;
  why << d.stain_like << " of " << d.distinct_spots << " distinct round spots on a ring not too dark in blue "
      << (custom ? "have the given stain's colour, nearer it than blood's and melanin's, and absorb along it"
                 : "absorb red more than blue")
      << " (by >= " << o.min_stain_ratio << " of their green contrast; stain needs >= " << o.min_stain_spots
      << " and >= " << o.min_stain_share * 100 << " %): " << (d.stain ? (custom ? "the given stain" : "a blue stain")
                                                                        : "blood");
  d.reason = why.str();
  return d;
}

}  // namespace needlescope::detect
