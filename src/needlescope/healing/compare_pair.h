#pragma once

// Before/after comparison of one treated area (docs/compare.md): AFTER aligned onto BEFORE,
// each photo's redness measured against its own baseline with the regions carried through
// the alignment, BEFORE's punctures looked for in AFTER, and healing metrics.

#include <opencv2/core.hpp>
#include <optional>
#include <string>
#include <vector>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/redness/puncture_region.h"
#include "needlescope/redness/redness.h"
#include "needlescope/register/registration.h"

namespace needlescope::healing {

struct CompareOptions {
  registration::RegisterOptions registration;
  redness::RednessOptions redness;  // its roi/reference are BEFORE's; carried to AFTER
  detect::DetectOptions detect;
  redness::PunctureRegionOptions puncture_region;  // BEFORE's treated region from its punctures
  // Persistence (docs/compare.md): a BEFORE puncture persists when the spot fitted at its
  // mapped position in AFTER (spot_fit.h) has a blur-free peak of at least
  // persistence_min_amplitude green OD. The detector's radius is taken as a spot's width in
  // the photo and its blur-free radius as sqrt(width^2 - 2 blur_sigma_px^2), at least
  // detect.min_radius_px. Both chosen together on 30 tuning pairs (seeds 1100-1129).
  double persistence_min_amplitude = 0.13;  // green OD, > 0
  double blur_sigma_px = 0.75;              // the camera's blur, Gaussian sigma in px, >= 0

  std::string Check() const;
};

struct ToneEvenness {
  double melanin_sd_before = 0, melanin_sd_after = 0;  // over the treated region's skin
  double hemoglobin_sd_before = 0, hemoglobin_sd_after = 0;
};

// Redness of AFTER against BEFORE itself, when BEFORE has no untreated skin in the frame (a
// close-up of the treated area): the treated region's mean in AFTER minus that in BEFORE,
// the region carried through the alignment. Negative: less red. Without a white patch
// (RednessOptions::white_patch, carried into AFTER) neither photo is white balanced (there
// is no neutral skin), so a change of lamp or camera between sessions enters these numbers,
// which the per-photo baselines otherwise cancel; with one, the change of the two photos'
// gains is taken out of delta_hemoglobin as white balancing takes it out of delta_a_star.
struct RednessAgainstBefore {
  double delta_hemoglobin = 0;  // hemoglobin units, as RegionMeans
  double delta_a_star = 0;
};

struct CompareResult {
  registration::Registration registration;
  redness::RednessResult before, after;  // after's regions are before's, mapped
  std::vector<Puncture> punctures_before, punctures_after;
  // Healing, from the two photos' own baselines; none when BEFORE has no untreated skin
  // (then against_before):
  std::optional<double> redness_resolution;         // 1 - excess Δhemoglobin after / before
  std::optional<double> redness_resolution_a_star;  // the same for Δa*
  // 95 % interval of redness_resolution (resolution_interval.h: spatial block bootstrap).
  std::optional<std::pair<double, double>> redness_resolution_ci95;
  // 95 % Wilson interval of puncture_persistence (persisting of compared).
  std::optional<std::pair<double, double>> puncture_persistence_ci95;
  std::optional<RednessAgainstBefore> against_before;
  std::optional<double>
      puncture_persistence;  // share of BEFORE's punctures (mapped into AFTER) found again
  int persisting = 0, compared = 0;
  // Per BEFORE puncture: its blur-free peak fitted at the mapped position in AFTER (green
  // OD), NaN when it was not compared (outside the treated region or outside AFTER).
  std::vector<double> after_amplitude;
  double persistence_min_amplitude = 0;  // the threshold it was judged against
  int new_punctures = 0;  // AFTER punctures in the treated region with no BEFORE puncture
  ToneEvenness tone;
  std::string region_cue;  // which cue gave BEFORE's treated region
  std::optional<double> score;  // 0-100 (docs/compare.md); none without resolution and persistence
  cv::Mat after_aligned;  // AFTER warped into BEFORE's frame (for the pictures)
};

// BEFORE's side of a comparison: its redness (maps kept) and punctures, measured once so
// that `series` does not measure its first photo again for every later one.
struct Reference {
  redness::RednessResult redness;
  std::vector<Puncture> punctures;
  std::string region_cue;  // which cue gave the treated region (redness/puncture_region.h)
};
// Throws redness::RegionError when BEFORE has no treated region (given or found). Without
// untreated skin in BEFORE's frame (and no reference region) the reference has no baseline
// (redness.baseline_found false) and AFTER is measured against it.
Reference MeasureReference(const cv::Mat& before_bgr, const CompareOptions& options);

// Throws registration::RegistrationError when the pair cannot be aligned.
CompareResult CompareWithReference(const cv::Mat& before_bgr,
                                   const Reference& reference,
                                   const cv::Mat& after_bgr,
                                   const CompareOptions& options);

// MeasureReference then CompareWithReference: throws redness::RegionError when BEFORE has
// no treated region (given or found), then registration::RegistrationError when the pair
// cannot be aligned.
CompareResult ComparePair(const cv::Mat& before_bgr,
                          const cv::Mat& after_bgr,
                          const CompareOptions& options);

}  // namespace needlescope::healing
