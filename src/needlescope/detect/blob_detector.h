#pragma once

// Puncture detection (docs/detection.md): multi-scale, scale-normalised Laplacian of
// Gaussian on green optical density (blood absorbs most in green, and luminance structure
// survives JPEG's 4:2:0 chroma subsampling that strips a 1-2 px spot's colour), maxima in
// scale space, sub-pixel refinement (scale_space.h); then each candidate is measured
// (candidate.h: contrast, shape, and the spot's OD against its ring unmixed into melanin,
// hemoglobin and shading) and a decision is made on those measurements: by the learned
// classifier when one is given (puncture_classifier.h), else by two thresholds. Runs
// through the tiled engine: identical output for any tile size and thread count.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/color/chromophores.h"
#include "needlescope/detect/candidate.h"
#include "needlescope/detect/plane.h"
#include "needlescope/detect/puncture.h"
#include "needlescope/detect/puncture_classifier.h"
#include "needlescope/detect/stain_direction.h"
#include "needlescope/detect/stain_identity.h"
#include "needlescope/detect/target_decision.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope::detect {

// What marks a needle: blood in skin, or stain (methylene blue) in a validation substrate;
// auto: decided from the photo (target_decision.h).
enum class Target { kAuto, kBlood, kStain };
const char* TargetName(Target target);  // "auto", "blood", "stain"

struct DetectOptions {
  Target target = Target::kAuto;
  TargetDecisionOptions target_decision;  // with kAuto
  Plane plane = Plane::kGreenOd;  // blood; a classifier's own plane overrides it
  double min_radius_px = 1.0;   // px, > 0: smallest spot radius (1/e of its profile)
  double max_radius_px = 4.0;   // px, >= min_radius_px, <= 12
  int scales = 7;               // scale-space levels, >= 2
  // Blood, decided by the classifier when one is given: candidates need the classifier's
  // own min_response (what it was trained behind), then its score >= its threshold.
  std::shared_ptr<const PunctureClassifier> classifier;
  // Blood without a classifier: thresholds chosen on the tuning benchmark set (seeds 1000+)
  // by a grid search for the best F1 (docs/detection.md).
  double min_response = 0.12;   // blood: scale-normalised LoG response on green OD, > 0
  double min_hemoglobin = 0.16; // blood: spot minus ring Δhemoglobin, OD units along the vector
  // Stain: candidates on red OD (methylene blue absorbs red most); a hole needs its red
  // absorption to exceed its blue by this much, over a disc 1 px wider than the spot minus
  // the ring (Candidate::stain_contrast_wide; skin and blood absorb blue more than red, so
  // they do not pass), and a round response (dust fibres and hair are lines; in lossless
  // photos they keep a trace of colour). Chosen on tuning substrates as JPEG and as
  // lossless PNG (docs/detection.md).
  double min_stain_response = 0.08;   // stain: LoG response on red OD, > 0
  double min_stain_contrast = 0.025;  // OD
  double min_stain_roundness = 0.3;   // Candidate::roundness, [0, 1]
  // A stain of another colour (stain_direction.h): its OD direction (R, G, B, any scale)
  // replaces red OD as the plane and red minus blue as the contrast, and is named
  // "custom stain". With kAuto, spots are stain-like by its colour (target_decision.h).
  std::optional<color::Rgb> stain_od;
  color::ChromophoreVectors vectors = color::LiteratureVectors();
  TilingOptions tiling;

  std::string Check() const;  // empty when valid, else "detect.<field> = <value>: <rule>"
};

struct DetectResult {
  std::vector<Puncture> punctures;    // accepted, sorted by (y, x)
  std::vector<Candidate> candidates;  // every scale-space maximum, sorted by (y, x)
  std::string decision;               // "classifier: <description>" or "thresholds"
  bool classifier_scored = false;     // the candidates' scores are the classifier's
  Target target = Target::kBlood;     // the one used (never kAuto)
  std::optional<TargetDecision> target_decision;  // how, when asked for kAuto
  std::optional<StainIdentity> stain;             // which stain, when target is kStain
  int halo_px = 0;
};

DetectResult DetectPunctures(const cv::Mat& bgr, const DetectOptions& options);

}  // namespace needlescope::detect
