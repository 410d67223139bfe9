#include "needlescope/detect/target_decision.h"

#include <gtest/gtest.h>

#include "needlescope/detect/blob_detector.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "testing/synth_photos.h"

namespace needlescope::detect {
namespace {

// A distinct round spot whose red-minus-blue contrast is `ratio` of its green contrast.
Candidate Spot(double ratio) {
  Candidate c;
  c.ring_od_b = 0.4;  // a pale substrate or fair skin around it
  c.contrast = 0.2;
  c.contrast_z = 8;
  c.roundness = 0.9;
  c.stain_contrast = ratio * c.contrast;
  return c;
}

TEST(TargetDecision, BloodAbsorbsBlueStainAbsorbsRed) {
  const TargetDecisionOptions o;
  EXPECT_FALSE(DecideTarget(std::vector<Candidate>(200, Spot(-0.7)), o).stain);  // hemoglobin
  EXPECT_FALSE(DecideTarget(std::vector<Candidate>(200, Spot(-0.35)), o).stain);  // melanin
  const TargetDecision stain = DecideTarget(std::vector<Candidate>(40, Spot(2.0)), o);
  EXPECT_TRUE(stain.stain);
  EXPECT_EQ(stain.stain_like, 40);
  EXPECT_NE(stain.reason.find("40 of 40"), std::string::npos) << stain.reason;
}

TEST(TargetDecision, NeedsEnoughStainLikeSpotsAndShare) {
  const TargetDecisionOptions o;
  EXPECT_FALSE(DecideTarget(std::vector<Candidate>(9, Spot(2.0)), o).stain);  // fewer than 10
  std::vector<Candidate> mixed(300, Spot(-0.7));
  mixed.insert(mixed.end(), 12, Spot(2.0));  // 12 of 312: under 5 %
  EXPECT_FALSE(DecideTarget(mixed, o).stain);
  mixed.insert(mixed.end(), 8, Spot(2.0));  // 20 of 320
  EXPECT_TRUE(DecideTarget(mixed, o).stain);
}

// On very dark skin blue sits near the black floor: a dark spot there shows more in red than
// in blue whatever absorbs it, so it does not vote.
TEST(TargetDecision, SpotsOnRingsTooDarkInBlueDoNotVote) {
  std::vector<Candidate> c(60, Spot(1.0));
  for (Candidate& s : c) s.ring_od_b = 1.8;
  const TargetDecision d = DecideTarget(c, {});
  EXPECT_EQ(d.distinct_spots, 0);
  EXPECT_FALSE(d.stain);
}

TEST(TargetDecision, FaintOrElongatedCandidatesDoNotVote) {
  std::vector<Candidate> c(50, Spot(2.0));
  for (size_t i = 0; i < c.size(); ++i) {
    if (i % 2) c[i].contrast_z = 2;  // noise-level
    else c[i].roundness = 0.2;       // a fibre
  }
  const TargetDecision d = DecideTarget(c, {});
  EXPECT_EQ(d.distinct_spots, 0);
  EXPECT_FALSE(d.stain);
}

// On rendered photos with the default options (auto) and the shipped classifier: stained
// substrates as JPEG and lossless, and skin treated and untreated, each found as what it is,
// and detected exactly as with that target asked for.
TEST(TargetDecision, AutoTellsSubstratesFromSkin) {
  DetectOptions options;
  options.vectors = testing::SynthCameraVectors();
  options.classifier = testing::SynthPunctureClassifier();
  ASSERT_EQ(options.target, Target::kAuto);
  struct Case {
    synth::SceneKind kind;
    std::uint64_t seed;
    synth::FileFormat format;
    Target expected;
  };
  const Case cases[] = {
      {synth::SceneKind::kSubstrate, 41, synth::FileFormat::kJpeg, Target::kStain},
      {synth::SceneKind::kSubstrate, 42, synth::FileFormat::kPng, Target::kStain},
      {synth::SceneKind::kSkinTreated, 43, synth::FileFormat::kJpeg, Target::kBlood},
      {synth::SceneKind::kSkinUntreated, 44, synth::FileFormat::kJpeg, Target::kBlood},
      {synth::SceneKind::kSkinTreated, 45, synth::FileFormat::kPng, Target::kBlood},
  };
  // And type VI skin of renderer family B, which the first rule (without the ring's blue)
  // took for a stained substrate.
  {
    synth::SceneOptions o;  // full size: test-b's skin-untreated-2047
    o.family = synth::Family::kB;
    o.skin_type = 6;
    o.jpeg_quality = 90;
    const synth::SceneImage scene = synth::RenderScene(synth::SceneKind::kSkinUntreated, 2047, o)[0];
    EXPECT_EQ(DetectPunctures(synth::Delivered(scene.bgr, o.format, scene.truth.camera), options).target,
              Target::kBlood);
  }
  for (const Case& c : cases) {
    synth::SceneOptions o = testing::SmallScene();
    o.format = c.format;
    o.jpeg_quality = 85;
    const synth::SceneImage scene = synth::RenderScene(c.kind, c.seed, o)[0];
    const cv::Mat photo = synth::Delivered(scene.bgr, o.format, scene.truth.camera);
    const DetectResult automatic = DetectPunctures(photo, options);
    EXPECT_EQ(automatic.target, c.expected) << scene.truth.name;
    ASSERT_TRUE(automatic.target_decision.has_value());
    DetectOptions asked = options;
    asked.target = c.expected;
    const DetectResult explicit_target = DetectPunctures(photo, asked);
    EXPECT_EQ(automatic.punctures.size(), explicit_target.punctures.size()) << scene.truth.name;
    EXPECT_FALSE(explicit_target.target_decision.has_value());
  }
}

}  // namespace
}  // namespace needlescope::detect
