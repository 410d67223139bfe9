#pragma once

// A detection candidate (a scale-space maximum) and the measurements the accept/reject
// decision is made on. Every field is reported in `--write-candidates` CSVs, and the
// features listed in kCandidateFeatureNames are what the learned classifier sees.

#include <array>

namespace needlescope::detect {

struct Candidate {
  double x = 0, y = 0;  // px, image coordinates (origin at the centre of the top-left pixel)
  double radius_px = 0;
  double response = 0;  // scale-normalised LoG of the detection plane at the winning scale
  // Response at the finest and coarsest scale at the same pixel, over `response`: how the
  // spot's size profile looks (a 1 px speck, a broad shadow).
  double response_fine_ratio = 0, response_coarse_ratio = 0;
  // Eigenvalue ratio (small / large) of the response's Hessian at the maximum: near 1 for a
  // round spot, near 0 for a line (hair, a wrinkle, an edge).
  double roundness = 0;
  // Detection-plane OD, spot mean minus the median of its ring (robust local background),
  // and that difference over the ring's robust spread (1.4826 MAD).
  double contrast = 0, contrast_z = 0;
  // Spot minus ring OD, unmixed into melanin, hemoglobin and shading (pigment vectors of
  // docs/redness.md), and hemoglobin's share of the three (absolute values).
  double delta_hemoglobin = 0, delta_melanin = 0, delta_shading = 0, hemoglobin_share = 0;
  double ring_od_r = 0, ring_od_g = 0, ring_od_b = 0;  // the surrounding skin's colour
  double stain_contrast = 0;  // Δ(OD_red - OD_blue), spot minus ring (stained substrates)
  // The same over a disc 1 px wider than the spot: JPEG's 4:2:0 chroma subsampling spreads a
  // small hole's colour over about a pixel more, and this keeps it. What `--target stain`
  // decides on; not a classifier feature.
  double stain_contrast_wide = 0;
  double score = 0;           // [0, 1], the decision's confidence
  bool accepted = false;
};

inline constexpr std::array<const char*, 15> kCandidateFeatureNames = {
    "radius_px",        "response",      "response_fine_ratio", "response_coarse_ratio",
    "roundness",        "contrast",      "contrast_z",          "delta_hemoglobin",
    "delta_melanin",    "delta_shading", "hemoglobin_share",    "ring_od_r",
    "ring_od_g",        "ring_od_b",     "stain_contrast"};

inline std::array<float, kCandidateFeatureNames.size()> CandidateFeatures(const Candidate& c) {
  return {float(c.radius_px),        float(c.response),      float(c.response_fine_ratio),
          float(c.response_coarse_ratio), float(c.roundness), float(c.contrast),
          float(c.contrast_z),       float(c.delta_hemoglobin), float(c.delta_melanin),
          float(c.delta_shading),    float(c.hemoglobin_share), float(c.ring_od_r),
          float(c.ring_od_g),        float(c.ring_od_b),     float(c.stain_contrast)};
}

}  // namespace needlescope::detect
