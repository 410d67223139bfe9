// Training the puncture classifier (train/classifier_training.h): labels, determinism, bad
// input, and the point of `needlescope train` - a model fitted to a few photos of one camera
// beats a default that never saw that camera on the camera's other photos.

#include <gtest/gtest.h>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/eval/score.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"
#include "needlescope/train/classifier_training.h"
#include "testing/synth_photos.h"

namespace needlescope::train {
namespace {

struct Photo {
  eval::TruthImage truth;
  cv::Mat bgr;
};

// A treated skin photo of renderer family `family` (small, JPEG), with its truth.
Photo RenderPhoto(synth::Family family, int seed, int skin_type, synth::SceneKind kind = synth::SceneKind::kSkinTreated) {
  synth::SceneOptions o = testing::SmallScene();
  o.family = family;
  o.skin_type = skin_type;
  const synth::SceneImage scene = synth::RenderScene(kind, std::uint64_t(seed), o)[0];
  Photo p;
  p.truth = eval::TruthFromJson(nlohmann::json::parse(synth::TruthToJson(scene.truth, "x").dump()));
  p.bgr = synth::Delivered(scene.bgr, o.format, scene.truth.camera);
  return p;
}

// What a lab's annotator would give: the punctures clearly visible (d' >= 5), nothing else.
eval::TruthImage AsMarks(eval::TruthImage truth) {
  std::vector<eval::TruthPoint> marks;
  for (const eval::TruthPoint& t : truth.points) {
    if (t.required) marks.push_back(t);
  }
  truth.points = marks;
  truth.faint.assign(marks.size(), false);
  return truth;
}

TrainingPhoto ForTraining(const Photo& photo, const TrainingOptions& options) {
  detect::DetectOptions detect;
  detect.target = detect::Target::kBlood;
  detect.min_response = options.min_response;
  detect.plane = options.plane;
  return {AsMarks(photo.truth), detect::DetectPunctures(photo.bgr, detect).candidates, cv::Mat()};
}

nlohmann::ordered_json Score(const std::vector<Photo>& photos, const detect::DetectOptions& options) {
  std::vector<eval::ImageScore> scores;
  for (const Photo& p : photos) {
    std::vector<eval::DetectedPoint> found;
    for (const Puncture& d : detect::DetectPunctures(p.bgr, options).punctures) found.push_back({d.x, d.y});
    scores.push_back(eval::ScoreImage(p.truth, found));
  }
  return eval::EvalReportJson(scores);
}

TEST(ClassifierTraining, LabelsByTheEvaluatorsMatching) {
  eval::TruthImage truth;
  truth.points = {{10, 10, 2, true}, {50, 50, 2, false}};
  std::vector<detect::Candidate> candidates(3);
  candidates[0].x = 11, candidates[0].y = 10;  // on the required puncture
  candidates[1].x = 50, candidates[1].y = 51;  // on the faint one: left out
  candidates[2].x = 90, candidates[2].y = 90;  // on nothing
  EXPECT_EQ(LabelCandidates(truth, candidates), (std::vector<int>{1, -1, 0}));
  // Marked only in the left half: the candidate on nothing in the right half is not known
  // to be a non-puncture.
  cv::Mat left_half = cv::Mat::zeros(100, 100, CV_8U);
  left_half.colRange(0, 50).setTo(255);
  EXPECT_EQ(LabelCandidates(truth, candidates, left_half), (std::vector<int>{1, -1, -1}));
}

TEST(ClassifierTraining, RefusesWhatItCannotLearnFrom) {
  TrainingOptions options;
  const Photo photo = RenderPhoto(synth::Family::kA, 4200, 2);
  const TrainingPhoto one = ForTraining(photo, options);
  EXPECT_THROW(TrainClassifier({one}, {}, options), std::invalid_argument);  // no second fold
  TrainingPhoto unmarked = one;
  unmarked.truth.points.clear();
  EXPECT_THROW(TrainClassifier({unmarked, unmarked}, {}, options), std::runtime_error);  // nothing is a puncture
  options.trees = 0;
  EXPECT_THROW(TrainClassifier({one, one}, {}, options), std::invalid_argument);
}

// Family C (long-tailed punctures with a clotted core, motion blur, a demosaiced sensor,
// JPEG saved twice, cross-polarised light) as a camera the default has not seen. The
// shipped model has seen all three renderer families (models/README.md), so the default
// that never saw C is made here the way the shipped one was, on families A and B only
// (16 photos, seeds 4200+): the leave-one-family-out setting in which the shipped recipe
// scores 0.802 on C's test set (docs/detection.md). Eight annotated photos of C (seeds
// 4000+; every puncture with d' >= 5 marked, as an annotator marks what is clearly there)
// are enough to fit a model that does better on six others (seeds 4100+).
TEST(ClassifierTraining, AFewAnnotatedPhotosOfAnUnseenCameraBeatADefaultThatNeverSawIt) {
  TrainingOptions options;
  options.source = "test photos";
  std::vector<TrainingPhoto> training, other_families;
  for (int k = 0; k < 8; ++k) training.push_back(ForTraining(RenderPhoto(synth::Family::kC, 4000 + k, 1 + k % 6), options));
  for (synth::Family family : {synth::Family::kA, synth::Family::kB}) {
    for (int k = 0; k < 8; ++k) {
      other_families.push_back(ForTraining(RenderPhoto(family, 4200 + k, 1 + k % 6), options));
    }
  }
  std::vector<Photo> test;
  for (int k = 0; k < 6; ++k) test.push_back(RenderPhoto(synth::Family::kC, 4100 + k, 1 + k));

  const TrainingResult fitted = TrainClassifier(training, {}, options);
  const TrainingResult again = TrainClassifier(training, {}, options);
  EXPECT_EQ(fitted.classifier->ToBinary(), again.classifier->ToBinary()) << "training is not deterministic";

  detect::DetectOptions never_saw_c;  // what a new user runs: default options, a model of A and B
  never_saw_c.classifier = TrainClassifier(other_families, {}, options).classifier;
  detect::DetectOptions own = never_saw_c;
  own.classifier = fitted.classifier;
  detect::DetectOptions shipped = never_saw_c;
  shipped.classifier = testing::SynthPunctureClassifier();
  const nlohmann::ordered_json before = Score(test, never_saw_c), after = Score(test, own),
                               with_shipped = Score(test, shipped);
  for (const auto* r : {&before, &after, &with_shipped})
    std::cerr << (r == &before ? "never saw C" : r == &after ? "fitted" : "shipped") << ": F1 " << (*r)["f1"]
              << ", P " << (*r)["precision"] << ", R " << (*r)["recall"] << ", FP/MP " << (*r)["fp_per_mp"] << "\n";
  // 2026-12-07: never saw C F1 0.801 (precision 0.76, 318 false punctures per MP), fitted
  // 0.860 (0.98, 16 per MP); the shipped model, which has seen C, 0.884 (0.96, 39 per MP).
  EXPECT_GE(after["f1"].get<double>(), before["f1"].get<double>() + 0.05);
  EXPECT_LE(after["fp_per_mp"].get<double>(), before["fp_per_mp"].get<double>() / 4);
}

}  // namespace
}  // namespace needlescope::train
