// The detection issue's accuracy bounds on a small subset: a few synthetic scenes (seeds
// 3000+, neither the tuning nor the test set), with the committed classifier and the default
// (literature) vectors it was trained with. The full figures are in README.md
// (tools/detection-accuracy.py).

#include <gtest/gtest.h>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/eval/score.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"
#include "testing/synth_photos.h"

namespace needlescope::detect {
namespace {

struct Subset {
  nlohmann::ordered_json treated, untreated;
};

// lossless: the rendered photo as it is (a lab camera's PNG or TIFF) instead of a JPEG.
Subset Score(const DetectOptions& options, bool lossless = false) {
  std::vector<eval::ImageScore> treated, untreated;
  for (int type = 1; type <= 6; ++type) {
    for (synth::SceneKind kind : {synth::SceneKind::kSkinTreated, synth::SceneKind::kSkinUntreated}) {
      if (kind == synth::SceneKind::kSkinUntreated && type % 2) continue;  // types 2, 4, 6
      synth::SceneOptions o = testing::SmallScene();
      o.skin_type = type;
      o.jpeg_quality = 65 + 5 * type;  // 70..95, the benchmark range
      o.format = lossless ? synth::FileFormat::kPng : synth::FileFormat::kJpeg;  // what d' judges
      const synth::SceneImage scene = synth::RenderScene(kind, 3000 + type, o)[0];
      const auto truth = eval::TruthFromJson(nlohmann::json::parse(synth::TruthToJson(scene.truth, "x").dump()));
      std::vector<eval::DetectedPoint> found;
      const cv::Mat photo = synth::Delivered(scene.bgr, o.format, scene.truth.camera);
      for (const Puncture& p : DetectPunctures(photo, options).punctures) found.push_back({p.x, p.y});
      (kind == synth::SceneKind::kSkinTreated ? treated : untreated).push_back(eval::ScoreImage(truth, found));
    }
  }
  return {eval::EvalReportJson(treated), eval::EvalReportJson(untreated)};
}

TEST(DetectionAccuracy, SmallSubsetWithTheCommittedClassifier) {
  DetectOptions options;  // the literature vectors, as the classifier was trained and a new user runs it
  options.classifier = testing::SynthPunctureClassifier();
  const Subset forest = Score(options);
  options.classifier = nullptr;
  const Subset thresholds = Score(options);
  // Issue targets met: localisation, and <= 0.5 false positives per MP on untreated skin
  // (0 on this subset; 0.0 on the test set).
  EXPECT_LE(forest.treated["loc_error_median_px"].get<double>(), 0.5) << forest.treated.dump();
  EXPECT_LE(forest.untreated["fp_per_mp"].get<double>(), 0.5) << forest.untreated.dump();
  // Issue target NOT met (docs/detection.md): this bound guards today's level against
  // regression. With the three-family model (2026-12-07) and the default vectors this subset
  // scores F1 0.930 (the family-A model with the camera calibration: 0.921); the bound is
  // unchanged.
  EXPECT_GE(forest.treated["f1"].get<double>(), 0.92) << forest.treated.dump();
  // The classifier earns its place: the thresholds alone are far worse (F1 0.65 and 1010
  // false positives per MP here with the default vectors, which they were not tuned on).
  EXPECT_GE(forest.treated["f1"].get<double>(), thresholds.treated["f1"].get<double>() + 0.1);
  EXPECT_LE(forest.untreated["fp_per_mp"].get<double>(), thresholds.untreated["fp_per_mp"].get<double>() / 4);
}

// Lossless photos keep the sensor noise's colour, which JPEG's chroma subsampling removes;
// the classifier is trained on both kinds (tools/make-classifier.sh, train-lossless).
TEST(DetectionAccuracy, SmallLosslessSubsetWithTheCommittedClassifier) {
  DetectOptions options;
  options.classifier = testing::SynthPunctureClassifier();
  const Subset forest = Score(options, /*lossless=*/true);
  // The untreated-skin bound of the issue holds on lossless photos too (0 here; a model
  // trained on JPEG only put 27 false positives per MP on them). F1 0.943 here with the
  // three-family model and the default vectors (0.941 with the family-A model and the
  // calibration); the bound is unchanged.
  EXPECT_LE(forest.untreated["fp_per_mp"].get<double>(), 0.5) << forest.untreated.dump();
  EXPECT_GE(forest.treated["f1"].get<double>(), 0.94) << forest.treated.dump();
}

}  // namespace
}  // namespace needlescope::detect
