#pragma once

// `--target auto`: is what marks a needle blood in skin or a blue stain on a validation
// substrate? Decided from the photo's own candidates on green OD (docs/detection.md,
// "Which target"). Blood absorbs blue far more than red (hemoglobin: Δ(OD_red − OD_blue) is
// about −0.7 of its green contrast), melanin too (−0.35), shading not at all; methylene and
// trypan blue absorb red more than blue. So a photo is a stained substrate when enough of
// its distinct round spots absorb red more than blue, by at least half their green contrast.
// For a custom stain (`--stain-od`, stain_direction.h) a spot is stain-like when its stain
// contrast (the custom one, in place of red minus blue) passes the same test and its colour
// is nearer the stain's than hemoglobin's and melanin's (chromatic angles): a stain near
// blood's colour is then not taken for blood's, nor blood for it.

#include <optional>
#include <string>
#include <vector>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"

namespace needlescope::detect {

struct TargetDecisionOptions {
  double min_contrast_z = 4.0;    // a distinct spot: contrast over its ring's spread, > 0
  double min_roundness = 0.5;     // and round (Candidate::roundness, [0, 1])
  double min_stain_ratio = 0.5;   // stain-like: stain_contrast / contrast at least this
  int min_stain_spots = 10;       // stain when at least this many spots are stain-like,
  double min_stain_share = 0.05;  // and at least this share of the distinct spots
  // Only where blue can still show an absorption: a ring darker than this in blue OD (blue
  // reflectance under 6 %, very dark skin) sits near the black floor, where any dark spot
  // looks "red-absorbing" (seen on type VI photos of renderer family B). Such spots do not
  // vote; a photo where none can vote is taken for blood.
  double max_ring_blue_od = 1.2;  // OD, > 0

  std::string Check() const;
};

struct TargetDecision {
  bool stain = false;
  int distinct_spots = 0;  // candidates passing the contrast, roundness and ring-blue tests
  int stain_like = 0;      // of them, absorbing red more than blue
  std::string reason;      // one sentence, for the JSON
};

// From candidates measured on green OD (the blood detection's), whose colour differences
// were unmixed with `vectors`; `stain_od`: a custom stain's direction, if any.
TargetDecision DecideTarget(const std::vector<Candidate>& green_od_candidates, const TargetDecisionOptions& options,
                            const color::ChromophoreVectors& vectors = color::LiteratureVectors(),
                            const std::optional<color::Rgb>& stain_od = std::nullopt);

}  // namespace needlescope::detect
