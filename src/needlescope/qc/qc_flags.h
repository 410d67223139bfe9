#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/pipeline/analyze.h"
#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/pooled_blood.h"

namespace needlescope::qc {

// Thresholds of the per-photo QC flags (docs/batch.md, "QC flags", says where each default
// comes from). Every one is a batch option.
struct QcOptions {
  double min_sharpness = 0.55;          // blurred below (PhotoQuality::sharpness)
  double min_p99_max_channel = 64;      // underexposed below: nothing reaches a quarter of full scale
  double max_dark_fraction = 0.25;      // underexposed above: a quarter of the photo at codes <= 10
  double max_clipped_fraction = 0.05;   // overexposed above
  // colour_cast: bluer than green, or greener than red, by more than this (ln ratio of the
  // medians): where neither skin nor a neutral film ever is. Red and yellow casts are not seen.
  double cast_tolerance = 0.05;
  double max_gap_fraction = 0.01;       // coverage_gaps at or above (uniformity's `gaps` verdict)
  double max_delta_a_star = 15;         // excess_redness above: treated − baseline median a*
  int near_duplicate_bits = 4;          // duplicate: perceptual hashes this close (of 64 bits)
  double max_pool_punctures = 40;       // possible_bleeding: blood over more than this many punctures' area

  // Empty when valid, else "qc.<field> = <value>: <rule>".
  std::string Check() const;
};

// The flags one photo earns on its own, in a fixed order (blurred, underexposed, overexposed,
// colour_cast, scale_unknown, density_out_of_protocol, coverage_gaps, excess_redness,
// possible_bleeding, no_treated_region). The flags that compare photos (duplicate, out_of_order) are the batch's.
std::vector<std::string> PhotoFlags(const PhotoQuality& quality, const PooledBlood& blood,
                                    const AnalysisResult& analysis, const QcOptions& options);

// Judges an analysis measured with measure_photo_quality (and measure_pooled_blood, on skin):
// sets analysis->qc to its flags and measures (analyze's and batch's one way to do it).
void JudgeQc(const QcOptions& options, AnalysisResult* analysis);

// The measures the flags were judged on, as the "qc" object of a batch record and an
// analysis document (docs/batch.md, "QC flags"): sharpness, exposure, cast, perceptual hash,
// and pooled_blood (null when not measured).
nlohmann::ordered_json QcMeasuresJson(const PhotoQuality& quality, const PooledBlood& blood);

}  // namespace needlescope::qc
