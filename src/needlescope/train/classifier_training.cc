#include "needlescope/train/classifier_training.h"

#include <algorithm>
#include <cmath>
#include <future>
#include <sstream>
#include <stdexcept>

#include <opencv2/ml.hpp>

#include "needlescope/detect/candidate_context.h"
#include "needlescope/detect/candidate.h"

namespace needlescope::train {
namespace {

// A photo as a training stage sees it: labels, and that stage's feature rows.
struct Stage {
  const TrainingPhoto* photo;
  std::vector<int> labels;
  cv::Mat features;
};

cv::Ptr<cv::ml::RTrees> Train(const std::vector<const Stage*>& photos, const TrainingOptions& options) {
  cv::Mat rows;
  std::vector<float> targets;
  for (const Stage* s : photos) {
    for (size_t i = 0; i < s->labels.size(); ++i) {
      if (s->labels[i] < 0) continue;
      rows.push_back(s->features.row(int(i)));
      targets.push_back(float(s->labels[i]));
    }
  }
  cv::setRNGSeed(20261124);  // this thread's RNG: each forest is trained on one thread
  cv::Ptr<cv::ml::RTrees> forest = cv::ml::RTrees::create();
  forest->setMaxDepth(options.depth);
  forest->setMinSampleCount(10);
  forest->setRegressionAccuracy(0);
  forest->setActiveVarCount(int(std::lround(std::sqrt(double(rows.cols)))));
  forest->setCalculateVarImportance(true);
  forest->setTermCriteria({cv::TermCriteria::MAX_ITER, options.trees, 0});
  forest->train(cv::ml::TrainData::create(rows, cv::ml::ROW_SAMPLE, cv::Mat(targets, true)));
  return forest;
}

std::vector<double> Predict(const cv::ml::RTrees& forest, const Stage& s) {
  std::vector<double> out(s.labels.size());
  if (out.empty()) return out;
  cv::Mat p;
  forest.predict(s.features, p);
  for (size_t i = 0; i < out.size(); ++i) out[i] = p.at<float>(int(i));
  return out;
}

// The forest on every photo's current features; with `oof`, also out-of-fold scores: each
// fold's forest (even / odd photo numbers) trained on the other fold. The forests train at
// the same time, each on its own thread.
cv::Ptr<cv::ml::RTrees> TrainWithOutOfFold(const std::vector<Stage>& photos, const TrainingOptions& options,
                                           std::vector<std::vector<double>>* oof) {
  auto train_on = [&](int skip_fold) {
    std::vector<const Stage*> chosen;
    for (size_t k = 0; k < photos.size(); ++k) {
      if (int(k % 2) != skip_fold) chosen.push_back(&photos[k]);
    }
    return Train(chosen, options);
  };
  auto all = std::async(std::launch::async, train_on, -1);
  if (!oof) return all.get();
  auto even = std::async(std::launch::async, train_on, 1);  // trained on the even photos
  auto odd = std::async(std::launch::async, train_on, 0);
  const cv::Ptr<cv::ml::RTrees> forests[2] = {odd.get(), even.get()};  // photo k scored by the other fold
  oof->assign(photos.size(), {});
  for (size_t k = 0; k < photos.size(); ++k) (*oof)[k] = Predict(*forests[k % 2], photos[k]);
  return all.get();
}

// Whether the candidate lies where the photo's punctures are marked.
bool Annotated(const cv::Mat& annotated, const detect::Candidate& c) {
  if (annotated.empty()) return true;
  const int x = int(std::lround(c.x)), y = int(std::lround(c.y));
  return x >= 0 && y >= 0 && x < annotated.cols && y < annotated.rows && annotated.at<std::uint8_t>(y, x) != 0;
}

// The evaluator's report over all photos when candidates scoring >= threshold are accepted
// (those outside a photo's annotated region are not scored).
nlohmann::ordered_json Evaluate(const std::vector<const TrainingPhoto*>& photos,
                                const std::vector<std::vector<double>>& scores, double threshold) {
  std::vector<eval::ImageScore> images;
  for (size_t k = 0; k < photos.size(); ++k) {
    std::vector<eval::DetectedPoint> accepted;
    for (size_t i = 0; i < photos[k]->candidates.size(); ++i) {
      const detect::Candidate& c = photos[k]->candidates[i];
      if (scores[k][i] >= threshold && Annotated(photos[k]->annotated, c)) accepted.push_back({c.x, c.y});
    }
    images.push_back(eval::ScoreImage(photos[k]->truth, accepted));
  }
  return eval::EvalReportJson(images);
}

// The threshold in [0.05, 0.95] (steps of 0.01) with the best F1; the first on ties.
double BestThreshold(const std::vector<const TrainingPhoto*>& photos, const std::vector<std::vector<double>>& scores,
                     double* f1) {
  double best = 0.5;
  *f1 = -1;
  for (int t = 5; t <= 95; ++t) {
    const nlohmann::ordered_json f = Evaluate(photos, scores, t / 100.0)["f1"];
    const double value = f.is_null() ? 0.0 : f.get<double>();
    if (value > *f1) *f1 = value, best = t / 100.0;
  }
  return best;
}

std::vector<const TrainingPhoto*> PhotosOf(const std::vector<Stage>& stages) {
  std::vector<const TrainingPhoto*> out;
  for (const Stage& s : stages) out.push_back(s.photo);
  return out;
}

detect::CompactForest Compact(const cv::Ptr<cv::ml::RTrees>& forest) {
  return forest ? detect::CompactForest::FromOpenCv(*forest) : detect::CompactForest{};
}

std::vector<std::pair<std::string, float>> Importance(const cv::ml::RTrees& forest) {
  const cv::Mat importance = forest.getVarImportance();
  std::vector<std::pair<std::string, float>> out;
  const int base = int(detect::kCandidateFeatureNames.size());
  for (int i = 0; i < importance.rows * importance.cols; ++i) {
    out.emplace_back(i < base ? detect::kCandidateFeatureNames[size_t(i)] : detect::kContextFeatureNames[size_t(i - base)],
                     importance.at<float>(i));
  }
  return out;
}

}  // namespace

std::string TrainingOptions::Check() const {
  if (trees < 1 || trees > 10000) return "trees must be 1-10000";
  if (depth < 1 || depth > 30) return "depth must be 1-30";
  if (!(min_response > 0) || !std::isfinite(min_response)) return "min_response must be > 0";
  return "";
}

std::vector<int> LabelCandidates(const eval::TruthImage& truth, const std::vector<detect::Candidate>& candidates,
                                 const cv::Mat& annotated) {
  std::vector<eval::DetectedPoint> points;
  for (const detect::Candidate& c : candidates) points.push_back({c.x, c.y});
  std::vector<int> labels(candidates.size(), 0);
  for (const eval::Match& m : eval::MatchPoints(truth.points, points)) {
    labels[size_t(m.detection)] = truth.points[size_t(m.truth)].required ? 1 : -1;
  }
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (!Annotated(annotated, candidates[i])) labels[i] = -1;
  }
  return labels;
}

TrainingResult TrainClassifier(const std::vector<TrainingPhoto>& photos, const std::vector<TrainingPhoto>& validation,
                               const TrainingOptions& options) {
  if (const std::string error = options.Check(); !error.empty()) throw std::invalid_argument(error);
  if (photos.size() < 2) throw std::invalid_argument("need at least 2 photos to train on (one per fold)");
  TrainingResult result;
  result.photos = int(photos.size());
  std::vector<Stage> stages;
  int negatives = 0;
  for (const TrainingPhoto& p : photos) {
    Stage s{&p, LabelCandidates(p.truth, p.candidates, p.annotated), detect::CandidateFeatureMatrix(p.candidates)};
    result.candidates += int(s.labels.size());
    result.punctures += int(std::count(s.labels.begin(), s.labels.end(), 1));
    negatives += int(std::count(s.labels.begin(), s.labels.end(), 0));
    stages.push_back(std::move(s));
  }
  if (result.punctures == 0) throw std::runtime_error("no candidate lies on a marked puncture: nothing to learn from");
  if (negatives == 0) throw std::runtime_error("every candidate lies on a marked puncture: no non-puncture to learn from");

  std::vector<std::vector<double>> oof;
  const cv::Ptr<cv::ml::RTrees> forest = TrainWithOutOfFold(stages, options, &oof);
  double threshold = BestThreshold(PhotosOf(stages), oof, &result.first_stage_f1);
  result.f1 = result.first_stage_f1;
  cv::Ptr<cv::ml::RTrees> context_forest;
  if (options.context) {
    for (size_t k = 0; k < stages.size(); ++k)
      stages[k].features = detect::ContextFeatureMatrix(stages[k].photo->candidates, oof[k]);
    context_forest = TrainWithOutOfFold(stages, options, validation.empty() ? &oof : nullptr);
    if (validation.empty()) threshold = BestThreshold(PhotosOf(stages), oof, &result.f1);
  }
  result.threshold_source = "out-of-fold F1";
  if (!validation.empty()) {
    // Scored exactly as analyze scores them: the final forests, at run time's code path.
    const detect::PunctureClassifier trial(Compact(forest), 0.5, options.min_response, "", options.plane,
                                           Compact(context_forest));
    std::vector<const TrainingPhoto*> held_out;
    std::vector<std::vector<double>> scores;
    for (const TrainingPhoto& v : validation) {
      held_out.push_back(&v);
      scores.push_back(trial.Score(v.candidates));
    }
    threshold = BestThreshold(held_out, scores, &result.f1);
    result.threshold_source = "F1 on " + std::to_string(validation.size()) + " validation photos";
    result.validation = Evaluate(held_out, scores, threshold);
  }

  std::ostringstream description;
  description << "random forest, " << options.trees << " trees, depth <= " << options.depth << ", on "
              << options.source << "; candidates on " << detect::PlaneName(options.plane) << " at min_response "
              << options.min_response << (options.context ? "; second stage on neighbourhood context" : "")
              << "; threshold " << threshold << " by " << result.threshold_source << " " << result.f1;
  result.classifier = std::make_shared<const detect::PunctureClassifier>(
      Compact(forest), threshold, options.min_response, description.str(), options.plane, Compact(context_forest));
  result.importance = Importance(*forest);
  if (context_forest) result.context_importance = Importance(*context_forest);
  return result;
}

}  // namespace needlescope::train
