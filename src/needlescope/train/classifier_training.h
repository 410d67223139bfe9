#pragma once

// Training the puncture classifier (puncture_classifier.h) from photos whose punctures are
// known: synthetic scenes with their truth (tools/train-classifier, which makes the shipped
// model) or a lab's or clinic's own annotated photos (`needlescope train`). docs/detection.md,
// "Classifier" and "Fitting the decision to your own camera".
//
// Steps:
//  1. each candidate labelled by the evaluator's optimal matching (eval::MatchPoints):
//     matched to a required puncture = 1, to a faint or hidden one = left out, unmatched = 0;
//  2. out-of-fold first-stage scores: a forest trained on the even-numbered photos scores
//     the odd ones and vice versa;
//  3. unless options.context is false, the second stage: context features from those
//     out-of-fold scores (candidate_context.h), and its own out-of-fold scores the same way
//     (a photo's second-stage score comes from forests that never saw its labels);
//  4. the decision threshold with the best F1 (the evaluator's) on the last stage's
//     out-of-fold scores, or on the validation photos when there are any (scored by the
//     final forests, as analyze scores them);
//  5. every forest retrained on every photo (the second stage on the out-of-fold context,
//     as it will see scores of photos the first stage never saw).
// Deterministic: a fixed RNG seed per forest, each forest trained on one thread, photos in
// the order given.

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/candidate.h"
#include "needlescope/detect/plane.h"
#include "needlescope/detect/puncture_classifier.h"
#include "needlescope/eval/score.h"

namespace needlescope::train {

// One photo to learn from: its punctures (truth.points; `required` ones must be found, the
// others are left out of training and scoring) and its detection candidates, found without
// a classifier on options.plane at options.min_response.
struct TrainingPhoto {
  eval::TruthImage truth;
  std::vector<detect::Candidate> candidates;
  // Where every puncture is marked: CV_8U of the photo's size, non-zero inside; empty = the
  // whole photo. A candidate outside is neither a puncture nor a non-puncture (left out of
  // training and of the threshold's F1) but is still a neighbour in the context features:
  // an annotator can mark a part of a dense photo rather than all of it.
  cv::Mat annotated;
};

struct TrainingOptions {
  int trees = 60;
  int depth = 10;
  bool context = true;  // train the second (neighbourhood context) stage
  detect::Plane plane = detect::Plane::kGreenOd;
  double min_response = 0.05;  // the candidate threshold the photos' candidates were found at
  // Words for the model's description: where the photos came from and how they were
  // measured (e.g. "12 synthetic skin scenes (build/benchset/tune, ...), literature vectors").
  std::string source;

  // "" when usable, else what is wrong.
  std::string Check() const;
};

struct TrainingResult {
  std::shared_ptr<const detect::PunctureClassifier> classifier;
  int photos = 0, punctures = 0, candidates = 0;  // punctures: candidates labelled 1
  double first_stage_f1 = 0;  // out-of-fold, at its own best threshold
  double f1 = 0;              // at the chosen threshold, on threshold_source
  std::string threshold_source;  // "out-of-fold F1" or "F1 on N validation photos"
  nlohmann::ordered_json validation;  // the validation report at the threshold (empty: none)
  // Each stage's feature importance (OpenCV's), by feature name.
  std::vector<std::pair<std::string, float>> importance, context_importance;
};

// 1, 0 or -1 per candidate, as in step 1; -1 also outside `annotated` (when not empty).
std::vector<int> LabelCandidates(const eval::TruthImage& truth, const std::vector<detect::Candidate>& candidates,
                                 const cv::Mat& annotated = {});

// Throws std::invalid_argument when options fail Check or fewer than 2 photos are given
// (out-of-fold scores need one photo in each fold), std::runtime_error when no candidate is
// labelled a puncture or none a non-puncture.
TrainingResult TrainClassifier(const std::vector<TrainingPhoto>& photos, const std::vector<TrainingPhoto>& validation,
                               const TrainingOptions& options);

}  // namespace needlescope::train
