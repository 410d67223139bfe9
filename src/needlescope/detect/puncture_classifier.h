#pragma once

// The learned accept/reject decision for blood candidates (docs/detection.md, "Classifier").
// A random forest (trained with OpenCV ml::RTrees, stored and run as a CompactForest)
// regressed on 0/1 labels over kCandidateFeatureNames, so its output - the mean of its
// trees' leaf values - is a probability-like score in [0, 1]; a candidate is a puncture when
// the score reaches the model's threshold. Trained by tools/train-classifier on synthetic
// scenes only (models/README.md).
//
// A model holds: the feature names it was trained on (checked against this build's), the
// candidate threshold it expects, its decision threshold, a description of its training,
// the candidate plane (absent = green OD), and the forest; optionally a second-stage forest
// over the candidate features plus kContextFeatureNames (the first stage's scores of the
// neighbours, candidate_context.h), whose output is then the score. Two file forms:
// - schema /3, what the training tool writes and analyze loads by default: one line of
//   JSON with all but the forests (each forest's var_count, trees and nodes), a newline,
//   then the forests' nodes in CompactForest's binary form, first stage first;
// - schema /2, YAML (gzip-compressed when named .gz), the same with the forests as base64
//   arrays: readable as text, but OpenCV takes ~0.2 s to parse it (BM_LoadClassifier).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/candidate.h"
#include "needlescope/detect/compact_forest.h"
#include "needlescope/detect/plane.h"

namespace needlescope::detect {

class PunctureClassifier {
 public:
  // /1 held OpenCV's own forest YAML; /2 the compact forests in YAML; /3 the same in binary
  // (tools/train-classifier --convert turns any into the form its -o name asks for).
  static constexpr const char* kSchema = "needlescope.puncture-classifier/3";
  static constexpr const char* kYamlSchema = "needlescope.puncture-classifier/2";

  // Throws std::runtime_error when a forest does not fit this build's features or a
  // threshold is out of range.
  PunctureClassifier(CompactForest forest, double threshold, double min_response,
                     std::string description, Plane plane = Plane::kGreenOd,
                     CompactForest context_forest = {});
  // Parses what Write wrote, from an opened storage or YAML text; throws
  // std::runtime_error naming what is wrong.
  static std::shared_ptr<const PunctureClassifier> Read(const cv::FileStorage& storage);
  static std::shared_ptr<const PunctureClassifier> FromYaml(const std::string& text);
  // OpenCV 4.6's YAML reader loops for ever on some malformed base64 (a "!!binary" block line
  // starting "! ", found by tests/fuzz): every line of such a block must be base64 before the
  // text reaches it. Throws std::runtime_error naming the line.
  static void CheckBase64Blocks(std::string_view yaml);
  void Write(cv::FileStorage& storage) const;
  std::string ToYaml() const;
  // The schema /3 form, and its reader; throws std::runtime_error naming what is wrong.
  std::string ToBinary() const;
  static std::shared_ptr<const PunctureClassifier> FromBinary(std::string_view bytes);
  // Whether `bytes` begin as a schema /3 file does (a JSON object) rather than YAML.
  static bool LooksBinary(std::string_view bytes) { return !bytes.empty() && bytes.front() == '{'; }

  // One score per candidate, [0, 1]. Deterministic: each row is scored on its own, and the
  // context of a candidate does not depend on tiling or threads.
  std::vector<double> Score(const std::vector<Candidate>& candidates) const;

  double threshold() const { return threshold_; }
  // The candidate response threshold the forest was trained behind; detection uses it.
  double min_response() const { return min_response_; }
  const std::string& description() const { return description_; }
  // The plane its candidates were found on; detection with it uses the same.
  Plane plane() const { return plane_; }
  bool has_context_stage() const { return !context_forest_.empty(); }

 private:
  CompactForest forest_;
  double threshold_;
  double min_response_;
  std::string description_;
  Plane plane_;
  CompactForest context_forest_;  // empty: the first stage decides alone
};

// The feature matrix (one row per candidate, CV_32F) the forest is trained and run on.
cv::Mat CandidateFeatureMatrix(const std::vector<Candidate>& candidates);

}  // namespace needlescope::detect
