#include "needlescope/detect/puncture_classifier.h"

#include <algorithm>
#include <stdexcept>

#include <tbb/parallel_for.h>

#include "needlescope/detect/candidate_context.h"

namespace needlescope::detect {
namespace {

cv::Ptr<cv::ml::RTrees> ReadForest(const cv::FileNode& node, const std::string& what) {
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  try {
    forest->read(node);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("unreadable " + what + ": " + e.msg);
  }
  return forest;
}

// One score per row of `features`, [0, 1]. OpenCV's forest scores the rows of one call one
// after another; blocks of rows go to parallel tasks instead (a row's score depends on
// that row alone, so the result does not depend on the threads).
std::vector<double> ScoreRows(const cv::ml::RTrees& forest, const cv::Mat& features) {
  std::vector<double> scores(size_t(features.rows), 0.0);
  constexpr int kBlockRows = 2048;
  tbb::parallel_for(0, (features.rows + kBlockRows - 1) / kBlockRows, [&](int block) {
    const cv::Range rows(block * kBlockRows, std::min(features.rows, (block + 1) * kBlockRows));
    cv::Mat out;
    forest.predict(features.rowRange(rows), out);
    for (int i = rows.start; i < rows.end; ++i) scores[i] = std::clamp(double(out.at<float>(i - rows.start)), 0.0, 1.0);
  });
  return scores;
}

}  // namespace

PunctureClassifier::PunctureClassifier(cv::Ptr<cv::ml::RTrees> forest, double threshold,
                                       double min_response, std::string description, Plane plane,
                                       cv::Ptr<cv::ml::RTrees> context_forest)
    : forest_(std::move(forest)),
      threshold_(threshold),
      min_response_(min_response),
      description_(std::move(description)),
      plane_(plane),
      context_forest_(std::move(context_forest)) {
  if (!forest_ || !forest_->isTrained()) throw std::runtime_error("the forest is not trained");
  if (forest_->getVarCount() != int(kCandidateFeatureNames.size()))
    throw std::runtime_error("the forest expects " + std::to_string(forest_->getVarCount()) +
                             " features, this build measures " +
                             std::to_string(kCandidateFeatureNames.size()));
  const int context_vars = int(kCandidateFeatureNames.size() + kContextFeatureNames.size());
  if (context_forest_ && (!context_forest_->isTrained() || context_forest_->getVarCount() != context_vars))
    throw std::runtime_error("the context forest expects " + std::to_string(context_forest_->getVarCount()) +
                             " features, this build measures " + std::to_string(context_vars));
  if (!(threshold_ > 0 && threshold_ < 1)) throw std::runtime_error("threshold must be in (0, 1)");
  if (!(min_response_ > 0)) throw std::runtime_error("min_response must be > 0");
}

std::shared_ptr<const PunctureClassifier> PunctureClassifier::FromYaml(const std::string& text) {
  cv::FileStorage fs;
  try {
    fs.open(text, cv::FileStorage::READ | cv::FileStorage::MEMORY | cv::FileStorage::FORMAT_YAML);
  } catch (const cv::Exception&) {
    throw std::runtime_error("not YAML");
  }
  if (!fs.isOpened()) throw std::runtime_error("not YAML");
  return Read(fs);
}

std::shared_ptr<const PunctureClassifier> PunctureClassifier::Read(const cv::FileStorage& fs) {
  if (std::string(fs["schema"]) != kSchema) throw std::runtime_error(std::string("schema is not ") + kSchema);
  std::vector<std::string> names;
  fs["features"] >> names;
  if (!std::equal(names.begin(), names.end(), kCandidateFeatureNames.begin(), kCandidateFeatureNames.end()))
    throw std::runtime_error("trained on other features than this build measures (retrain it)");
  if (fs["forest"].empty()) throw std::runtime_error("no forest");
  const cv::Ptr<cv::ml::RTrees> forest = ReadForest(fs["forest"], "forest");
  cv::Ptr<cv::ml::RTrees> context_forest;
  if (!fs["context_forest"].empty()) {
    fs["context_features"] >> names;
    if (!std::equal(names.begin(), names.end(), kContextFeatureNames.begin(), kContextFeatureNames.end()))
      throw std::runtime_error("context stage trained on other features than this build measures (retrain it)");
    context_forest = ReadForest(fs["context_forest"], "context forest");
  }
  Plane plane = Plane::kGreenOd;
  if (!fs["plane"].empty() && !PlaneFromName(std::string(fs["plane"]), &plane))
    throw std::runtime_error("unknown plane " + std::string(fs["plane"]));
  return std::make_shared<const PunctureClassifier>(forest, double(fs["threshold"]), double(fs["min_response"]),
                                                    std::string(fs["description"]), plane,
                                                    context_forest);
}

std::string PunctureClassifier::ToYaml() const {
  cv::FileStorage fs(".yml", cv::FileStorage::WRITE | cv::FileStorage::MEMORY);
  Write(fs);
  return fs.releaseAndGetString();
}

void PunctureClassifier::Write(cv::FileStorage& fs) const {
  fs << "schema" << kSchema;
  fs << "description" << description_;
  fs << "features" << "[";
  for (const char* name : kCandidateFeatureNames) fs << name;
  fs << "]";
  fs << "min_response" << min_response_;
  fs << "threshold" << threshold_;
  fs << "plane" << PlaneName(plane_);
  fs << "forest" << "{";
  forest_->write(fs);
  fs << "}";
  if (!context_forest_) return;
  fs << "context_features" << "[";
  for (const char* name : kContextFeatureNames) fs << name;
  fs << "]";
  fs << "context_forest" << "{";
  context_forest_->write(fs);
  fs << "}";
}

cv::Mat CandidateFeatureMatrix(const std::vector<Candidate>& candidates) {
  cv::Mat m(int(candidates.size()), int(kCandidateFeatureNames.size()), CV_32F);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const auto f = CandidateFeatures(candidates[i]);
    std::copy(f.begin(), f.end(), m.ptr<float>(int(i)));
  }
  return m;
}

std::vector<double> PunctureClassifier::Score(const std::vector<Candidate>& candidates) const {
  if (candidates.empty()) return {};
  const std::vector<double> stage1 = ScoreRows(*forest_, CandidateFeatureMatrix(candidates));
  if (!context_forest_) return stage1;
  return ScoreRows(*context_forest_, ContextFeatureMatrix(candidates, stage1));
}

}  // namespace needlescope::detect
