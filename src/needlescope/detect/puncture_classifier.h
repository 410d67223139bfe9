#pragma once

// The learned accept/reject decision for blood candidates (docs/detection.md, "Classifier").
// A random forest (OpenCV ml::RTrees) regressed on 0/1 labels over kCandidateFeatureNames,
// so its output - the mean of its trees' leaf values - is a probability-like score in
// [0, 1]; a candidate is a puncture when the score reaches the model's threshold. Trained by
// tools/train-classifier on synthetic tuning scenes only (models/README.md).
//
// The model file is YAML (gzip-compressed when named .gz): schema, the feature names it was trained on (checked against
// this build's), the candidate threshold it expects, its decision threshold, a description
// of its training, the candidate plane (absent = green OD), and the forest; optionally a
// second-stage forest over the candidate features plus kContextFeatureNames (the first
// stage's scores of the neighbours, candidate_context.h), whose output is then the score.

#include <memory>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

#include "needlescope/detect/candidate.h"
#include "needlescope/detect/plane.h"

namespace needlescope::detect {

class PunctureClassifier {
 public:
  static constexpr const char* kSchema = "needlescope.puncture-classifier/1";

  PunctureClassifier(cv::Ptr<cv::ml::RTrees> forest, double threshold, double min_response,
                     std::string description, Plane plane = Plane::kGreenOd,
                     cv::Ptr<cv::ml::RTrees> context_forest = nullptr);
  // Parses what Write wrote, from an opened storage or YAML text; throws
  // std::runtime_error naming what is wrong.
  static std::shared_ptr<const PunctureClassifier> Read(const cv::FileStorage& storage);
  static std::shared_ptr<const PunctureClassifier> FromYaml(const std::string& text);
  void Write(cv::FileStorage& storage) const;
  std::string ToYaml() const;

  // One score per candidate, [0, 1]. Deterministic: each row is scored on its own, and the
  // context of a candidate does not depend on tiling or threads.
  std::vector<double> Score(const std::vector<Candidate>& candidates) const;

  double threshold() const { return threshold_; }
  // The candidate response threshold the forest was trained behind; detection uses it.
  double min_response() const { return min_response_; }
  const std::string& description() const { return description_; }
  // The plane its candidates were found on; detection with it uses the same.
  Plane plane() const { return plane_; }
  bool has_context_stage() const { return bool(context_forest_); }

 private:
  cv::Ptr<cv::ml::RTrees> forest_;
  double threshold_;
  double min_response_;
  std::string description_;
  Plane plane_;
  cv::Ptr<cv::ml::RTrees> context_forest_;  // null: the first stage decides alone
};

// The feature matrix (one row per candidate, CV_32F) the forest is trained and run on.
cv::Mat CandidateFeatureMatrix(const std::vector<Candidate>& candidates);

}  // namespace needlescope::detect
