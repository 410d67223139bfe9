#pragma once

// How sure a redness resolution is: a 95 % interval by a spatial block bootstrap. Pixels of
// a redness map are not independent (blur, the punctures' flush, JPEG blocks), so a
// per-pixel standard error would claim far too much; blocks of block_px × block_px of the
// treated region are resampled instead, in each photo independently, and the resolution
// 1 − mean Δ after / mean Δ before recomputed per resample. The baselines' means are held
// fixed (each is measured over more skin than the treated region, and enters both photos'
// Δ alike). Deterministic: the resampling is seeded.

#include <cstdint>
#include <optional>
#include <utility>

#include "needlescope/redness/redness.h"

namespace needlescope::healing {

struct ResolutionIntervalOptions {
  int block_px = 32;        // > 0; about ten puncture spacings on the sample photos
  int resamples = 1000;     // >= 100
  std::uint64_t seed = 1;
};

// The 2.5th and 97.5th percentiles of the resampled resolution, or none when either photo
// lacks its Δhemoglobin map or treated region, or has fewer than 4 blocks in it.
std::optional<std::pair<double, double>> RednessResolutionInterval(const redness::RednessResult& before,
                                                                   const redness::RednessResult& after,
                                                                   const ResolutionIntervalOptions& options = {});

}  // namespace needlescope::healing
