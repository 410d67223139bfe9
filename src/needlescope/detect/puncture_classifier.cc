#include "needlescope/detect/puncture_classifier.h"

#include <algorithm>
#include <stdexcept>

#include <tbb/parallel_for.h>

namespace needlescope::detect {

PunctureClassifier::PunctureClassifier(cv::Ptr<cv::ml::RTrees> forest, double threshold,
                                       double min_response, std::string description, Plane plane)
    : forest_(std::move(forest)),
      threshold_(threshold),
      min_response_(min_response),
      description_(std::move(description)),
      plane_(plane) {
  if (!forest_ || !forest_->isTrained()) throw std::runtime_error("the forest is not trained");
  if (forest_->getVarCount() != int(kCandidateFeatureNames.size()))
    throw std::runtime_error("the forest expects " + std::to_string(forest_->getVarCount()) +
                             " features, this build measures " +
                             std::to_string(kCandidateFeatureNames.size()));
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
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  try {
    forest->read(fs["forest"]);
  } catch (const cv::Exception& e) {
    throw std::runtime_error("unreadable forest: " + e.msg);
  }
  Plane plane = Plane::kGreenOd;
  if (!fs["plane"].empty() && !PlaneFromName(std::string(fs["plane"]), &plane))
    throw std::runtime_error("unknown plane " + std::string(fs["plane"]));
  return std::make_shared<const PunctureClassifier>(forest, double(fs["threshold"]), double(fs["min_response"]),
                                                    std::string(fs["description"]), plane);
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
  std::vector<double> scores(candidates.size(), 0.0);
  if (candidates.empty()) return scores;
  // OpenCV's forest scores the rows of one call one after another; blocks of rows go to
  // parallel tasks instead (a row's score depends on that row alone, so the result does not
  // depend on the threads).
  const cv::Mat features = CandidateFeatureMatrix(candidates);
  constexpr int kBlockRows = 2048;
  tbb::parallel_for(0, (features.rows + kBlockRows - 1) / kBlockRows, [&](int block) {
    const cv::Range rows(block * kBlockRows, std::min(features.rows, (block + 1) * kBlockRows));
    cv::Mat out;
    forest_->predict(features.rowRange(rows), out);
    for (int i = rows.start; i < rows.end; ++i) scores[i] = std::clamp(double(out.at<float>(i - rows.start)), 0.0, 1.0);
  });
  return scores;
}

}  // namespace needlescope::detect
