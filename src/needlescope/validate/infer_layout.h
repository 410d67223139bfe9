#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/validate/cartridge.h"

namespace needlescope::validate {

// How well a known layout matches an inferred one: its needles fitted to the inferred ones
// (rotation, scale, translation), as StampFit does for holes.
struct LayoutMatch {
  std::string name;
  int needles = 0;       // in the known layout
  int matched = 0;       // of them, within 0.2 pitch of an inferred needle
  double rms_pitch = 0;  // RMS distance of the matched ones, in pitches
};

struct InferredLayout {
  bool found = false;
  std::string why_not;       // when not found
  CartridgeLayout layout;    // needles in mm when px_per_mm is known, else in pitches (pitch_mm = 1)
  bool in_mm = false;
  int stamps_used = 0;       // groups of holes aligned into the template
  int lattice_gaps_filled = 0;  // needles no stamp showed, found as gaps in a lattice or ring of the others
  std::vector<LayoutMatch> matches;  // against `known`, best first
  // The index in `known` of a layout that matches needle for needle (every needle of both,
  // within 0.1 pitch RMS), or -1: validate with it rather than the inferred one (its index
  // order is documented, its symmetry exact; an inferred grid is only nearly square).
  int same_as_known = -1;
};

// Infers a cartridge's layout from the holes of its stamps: the group with the most holes is
// the reference (holes within 2.5 pitches of each other are one group: a ring with a needle
// out stays whole); every other group is fitted to it and mapped into its frame; the places
// where at least 30 % of the groups put a hole are the needles. When those lie on a lattice
// (within 0.15 pitch), lattice nodes inside its span that no stamp showed are added, and when
// they lie evenly on one ring, its empty slots: a needle that never penetrates. Needles are
// indexed row by row (y, then x) in the reference's frame.
// px_per_mm > 0 gives the layout in mm. `known`: layouts to compare it with.
InferredLayout InferLayout(const std::vector<cv::Point2d>& holes, double px_per_mm,
                           const std::vector<CartridgeLayout>& known);

}  // namespace needlescope::validate
