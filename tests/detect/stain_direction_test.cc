// A stain other than the two blue ones (`--stain-od`, detect/stain_direction.h): the weights
// it gives, the directions it refuses, and substrates stained with a violet dye (absorbing
// green most, then red: a gentian-violet-like colour) that the blue-stain rule cannot see.

#include "needlescope/detect/stain_direction.h"

#include <gtest/gtest.h>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/eval/score.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"
#include "testing/synth_photos.h"

namespace needlescope::detect {
namespace {

TEST(StainDirection, MethyleneBluesDirectionGivesTheBlueStainWeights) {
  // The custom weights reduce to red OD and red minus blue for a blue stain's colour, so the
  // stain thresholds keep their meaning.
  const StainWeights blue = BlueStainWeights();
  const StainWeights custom = CustomStainWeights({1.0, 0.45, 0.10});
  const color::Rgb spot{0.8, 0.36, 0.08};  // methylene blue at 0.8 OD of red
  auto apply = [](const color::Rgb& w, const color::Rgb& od) { return w[0] * od[0] + w[1] * od[1] + w[2] * od[2]; };
  EXPECT_NEAR(apply(custom.plane, spot), apply(blue.plane, spot), 1e-12);  // the spot's red OD
  EXPECT_NEAR(apply(custom.contrast, spot) / apply(blue.contrast, spot), 1.0, 0.02);
  // Shading (grey) adds nothing to the contrast, whatever the stain.
  EXPECT_NEAR(apply(CustomStainWeights({0.75, 1.0, 0.25}).contrast, {0.3, 0.3, 0.3}), 0.0, 1e-12);
  // Scale does not matter.
  EXPECT_NEAR(CustomStainWeights({1.5, 2.0, 0.5}).plane[1], CustomStainWeights({0.75, 1.0, 0.25}).plane[1], 1e-12);
}

TEST(StainDirection, RefusesWhatCannotBeAStain) {
  EXPECT_EQ(CheckStainOd({0.75, 1.0, 0.25}), "");
  EXPECT_NE(CheckStainOd({0.5, 0.5, 0.5}).find("neutral grey"), std::string::npos);
  EXPECT_NE(CheckStainOd({1.0, 0.95, 0.9}).find("neutral grey"), std::string::npos);  // 3.9 degrees
  EXPECT_NE(CheckStainOd({1.0, -0.1, 0.2}).find(">= 0"), std::string::npos);
  EXPECT_NE(CheckStainOd({0, 0, 0}).find("absorbs nothing"), std::string::npos);
  DetectOptions o;
  o.stain_od = color::Rgb{0.5, 0.5, 0.5};
  EXPECT_NE(o.Check().find("detect.stain OD"), std::string::npos) << o.Check();
}

constexpr color::Rgb kViolet{0.75, 1.0, 0.25};

struct SubstrateRun {
  nlohmann::json report;
  std::vector<DetectResult> results;
};

// Substrates stained violet (the renderer's own violet, as synth --stain-od draws it),
// detected with `options`.
SubstrateRun VioletSubstrates(const DetectOptions& options) {
  synth::SceneOptions o = testing::SmallScene();
  o.stain_od = synth::OdVector{kViolet[0], kViolet[1], kViolet[2]};
  SubstrateRun run;
  std::vector<eval::ImageScore> scores;
  for (std::uint64_t seed : {3000, 3001, 3002, 3003}) {
    const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSubstrate, seed, o)[0];
    const nlohmann::json truth = nlohmann::json::parse(synth::TruthToJson(scene.truth, "x").dump());
    EXPECT_EQ(truth["scene"]["stain_od"], nlohmann::json({0.75, 1.0, 0.25}));
    run.results.push_back(DetectPunctures(synth::Delivered(scene.bgr, o.format, scene.truth.camera), options));
    std::vector<eval::DetectedPoint> found;
    for (const Puncture& p : run.results.back().punctures) found.push_back({p.x, p.y});
    scores.push_back(eval::ScoreImage(eval::TruthFromJson(truth), found));
  }
  run.report = eval::EvalReportJson(scores);
  return run;
}

TEST(StainDirection, FindsAndNamesAVioletStainOnlyWhenToldItsColour) {
  DetectOptions options;  // --target auto, the shipped classifier
  options.classifier = testing::SynthPunctureClassifier();
  // Not told: the violet holes are neither blood nor blue stain.
  const SubstrateRun blind = VioletSubstrates(options);
  EXPECT_LT(blind.report["f1"].get<double>(), 0.5) << blind.report.dump();
  // Told (--stain-od): --target auto decides the stain, finds its holes and names it.
  options.stain_od = kViolet;
  const SubstrateRun told = VioletSubstrates(options);
  EXPECT_GE(told.report["f1"].get<double>(), 0.95) << told.report.dump();
  for (const DetectResult& r : told.results) {
    ASSERT_EQ(r.target, Target::kStain) << r.target_decision->reason;
    ASSERT_TRUE(r.stain.has_value());
    EXPECT_EQ(r.stain->name, "custom stain") << r.stain->reason;
    ASSERT_TRUE(r.stain->angle_to_given_deg.has_value());
    EXPECT_LT(*r.stain->angle_to_given_deg, kMaxCustomStainAngleDeg) << r.stain->reason;
  }
}

TEST(StainDirection, BloodIsNotTakenForACustomStain) {
  // Treated skin, told of a violet stain: its punctures are blood's colour, not the stain's.
  DetectOptions options;
  options.classifier = testing::SynthPunctureClassifier();
  options.stain_od = kViolet;
  for (std::uint64_t seed : {41, 42}) {
    const synth::SceneOptions o = testing::SmallScene();
    const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSkinTreated, seed, o)[0];
    const DetectResult r = DetectPunctures(synth::Delivered(scene.bgr, o.format, scene.truth.camera), options);
    EXPECT_EQ(r.target, Target::kBlood) << scene.truth.name << ": " << r.target_decision->reason;
  }
}

}  // namespace
}  // namespace needlescope::detect
