#pragma once

#include <functional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/validate/cartridge.h"
#include "needlescope/validate/stamp_fit.h"

namespace needlescope::validate {

struct ValidateOptions {
  double px_per_mm = 0;      // > 0 when the photo's scale is known; 0 = from the layout's pitch
  double fail_below = 0.9;   // a needle fails when its rate's upper 95 % bound is below this
  double link_pitches = 1.9; // holes closer than this many pitches are one stamp
  double match_pitches = 0.35;  // a hole within this many pitches of a needle is its hole

  std::string Check() const;  // "" when valid
};

struct StampResult {
  StampFit fit;
  std::vector<bool> hit;  // per needle (consensus index order)
  int confirmed_at_place = 0;  // of the hits, needles with no detected hole that `confirm` accepted
  bool excluded = false;
  std::string excluded_because;  // "cut by the photo's edge", "overlaps another stamp or dye specks", ...
};

struct NeedleResult {
  int index = 0;
  int hits = 0, stamps = 0;
  double rate = 0, ci_low = 0, ci_high = 1;
  bool failing = false;
};

struct ValidationResult {
  double pitch_px = 0;            // the holes' median nearest-neighbour distance
  double px_per_mm = 0;           // given, or the stamps' median fitted scale
  bool scale_from_layout = false; // px_per_mm derived from the layout's pitch (mm per px then follows)
  std::vector<StampResult> stamps;
  std::vector<NeedleResult> needles;
  int hits = 0, trials = 0;       // over the stamps not excluded
  double rate = 0, ci_low = 0, ci_high = 1;
  int holes = 0, holes_outside_stamps = 0;
  int stamps_cut_by_edge = 0, stamps_overlapping = 0, stamps_unfitted = 0;
  // Needle indices are known only up to the layout's rotational symmetry: true when the
  // stamps' hits tell the rotations apart (or the layout has none), so the indices are the
  // layout file's; false: they are right up to a rotation in layout.symmetry_deg.
  bool orientation_resolved = true;
};

// Finds the stamps of `layout` among the holes of a photo of `image` size and says, needle by
// needle, how often each penetrated. Deterministic.
// confirm: asked for each needle of a fitted stamp that has no detected hole, with the
// needle's place in the photo: whether there is a hole there all the same (a fainter test at
// a known place; empty = never). Holes found this way count as hits, never as stamps.
using PlaceCheck = std::function<bool(const cv::Point2d&)>;
ValidationResult Validate(const std::vector<cv::Point2d>& holes, cv::Size image, const CartridgeLayout& layout,
                          const ValidateOptions& options, const PlaceCheck& confirm = {});

}  // namespace needlescope::validate
