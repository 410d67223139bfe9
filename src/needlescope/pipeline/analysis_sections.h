#pragma once

// The typed sections of an analysis (AnalysisResult): what was measured and how, as values.
// The analysis document is written from them in one place (analysis_json.h); nothing here
// is JSON.

#include <optional>
#include <string>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/stain_identity.h"
#include "needlescope/detect/target_decision.h"
#include "needlescope/uniformity/uniformity.h"

namespace needlescope {

// How the punctures were found, and their density (docs/output-format.md, "detection").
struct DetectionSection {
  size_t count = 0;       // punctures
  size_t candidates = 0;  // scale-space maxima considered
  double megapixels = 0;  // of the photo
  double mm_per_px = 0;   // 0 = unknown
  detect::Target target = detect::Target::kBlood;       // used (never kAuto)
  detect::Target target_asked = detect::Target::kAuto;  // asked for
  double min_radius_px = 0, max_radius_px = 0;
  std::string plane;     // the detection plane's name
  std::string decision;  // "classifier: …" or "thresholds"
  std::string vectors;   // the chromophore vectors' source
  double min_response = 0;
  // The thresholds of the way it was decided: stain (contrast, roundness), the classifier
  // (its threshold and file), or the colour thresholds (min_hemoglobin).
  std::optional<double> min_stain_contrast, min_stain_roundness, classifier_threshold, min_hemoglobin;
  std::string classifier_file, classifier_sha256;  // with a classifier read from a file
  std::optional<detect::StainIdentity> stain;
  std::optional<color::Rgb> stain_od_given;
  std::optional<detect::TargetDecision> target_decision;

  double PerMegapixel() const { return megapixels > 0 ? count / megapixels : 0; }
  std::optional<double> PerCm2() const {  // needs the scale
    if (!(mm_per_px > 0)) return std::nullopt;
    return count / (megapixels * 1e6 * mm_per_px * mm_per_px / 100.0);
  }
};

// What the redness stage could not measure, and which cue gave the treated region; the
// measures themselves are AnalysisResult::redness_maps.
struct RednessNotes {
  std::string not_measured;           // why there is no redness (no skin, no baseline), or ""
  bool untreated_skin_in_frame = true;  // false: a close-up of the treated area
  std::string region_cue;             // when the punctures' region was weighed
  std::optional<double> region_points_min_score;  // with --region-min-score
};

// The uniformity stage's settings and what it could not measure; the measures themselves
// are AnalysisResult::pattern.
struct UniformityNotes {
  uniformity::UniformityOptions options;  // as used (mm_per_px set)
  std::string not_measured;               // why the window was unusable, or ""
};

}  // namespace needlescope
