#include "needlescope/healing/compare_pair.h"

#include <gtest/gtest.h>

#include "needlescope/pipeline/compare_json.h"
#include "needlescope/synth/scene.h"
#include "needlescope/tiling/thread_control.h"
#include "testing/synth_photos.h"

namespace needlescope::healing {
namespace {

// Redness resolution against the truth's healing fraction and puncture persistence against
// the truth's (the bounds: within 0.10), on two pairs (seeds outside every set used
// for choosing parameters).
TEST(ComparePair, HealingMetricsMatchTheTruth) {
  CompareOptions options;
  options.redness.vectors = options.registration.vectors = testing::SynthCameraVectors();
  options.detect.classifier = testing::SynthPunctureClassifier();
  for (std::uint64_t seed : {61, 62}) {
    synth::SceneOptions o = testing::SmallScene();
    o.width_px = 768;
    o.height_px = 576;
    o.skin_type = int(seed % 6) + 1;
    const auto pair = synth::RenderScene(synth::SceneKind::kPair, seed, o);
    const CompareResult r = ComparePair(testing::JpegRoundTrip(pair[0].bgr, 85),
                                        testing::JpegRoundTrip(pair[1].bgr, 85), options);
    ASSERT_TRUE(r.redness_resolution.has_value());
    EXPECT_FALSE(r.against_before.has_value());
    EXPECT_NEAR(*r.redness_resolution, pair[0].truth.pair->healing_fraction, 0.10) << seed;
    ASSERT_TRUE(r.puncture_persistence.has_value());
    EXPECT_GT(r.compared, 100);
    EXPECT_NEAR(*r.puncture_persistence, pair[0].truth.pair->puncture_persistence, 0.10) << seed;
    ASSERT_TRUE(r.score.has_value());
    EXPECT_GE(*r.score, 0);
    EXPECT_LE(*r.score, 100);
  }
}

// A close-up: BEFORE's treated region (given) fills the frame, so neither photo has
// untreated skin. AFTER is then measured against BEFORE: the treated region's hemoglobin
// falls as it heals, by what the two photos' own treated means say (the means do not
// depend on a baseline, so the run with the true region and its baselines must agree), and
// the score rests on persistence alone.
TEST(ComparePair, WithoutUntreatedSkinAfterIsMeasuredAgainstBefore) {
  CompareOptions options;
  options.redness.vectors = options.registration.vectors = testing::SynthCameraVectors();
  options.detect.classifier = testing::SynthPunctureClassifier();
  synth::SceneOptions o = testing::SmallScene();
  o.width_px = 768;
  o.height_px = 576;
  o.skin_type = 2;
  const auto pair = synth::RenderScene(synth::SceneKind::kPair, 63, o);
  ASSERT_GT(pair[0].truth.pair->healing_fraction, 0.3);
  const cv::Mat before = testing::JpegRoundTrip(pair[0].bgr, 85), after = testing::JpegRoundTrip(pair[1].bgr, 85);

  options.redness.roi = redness::Region{{}, cv::Mat(before.size(), CV_8U, cv::Scalar(255)), "the whole frame"};
  const CompareResult close_up = ComparePair(before, after, options);
  EXPECT_FALSE(close_up.before.baseline_found);
  EXPECT_FALSE(close_up.after.baseline_found);
  EXPECT_FALSE(close_up.redness_resolution.has_value());
  ASSERT_TRUE(close_up.against_before.has_value());
  EXPECT_LT(close_up.against_before->delta_hemoglobin, 0.0);
  EXPECT_DOUBLE_EQ(close_up.against_before->delta_hemoglobin,
                   close_up.after.treated.hemoglobin - close_up.before.treated.hemoglobin);
  ASSERT_TRUE(close_up.puncture_persistence.has_value());
  EXPECT_DOUBLE_EQ(*close_up.score, 100 * (1 - *close_up.puncture_persistence));
  EXPECT_TRUE(CompareToJson(close_up, "b", "a")["healing"]["redness_resolution"].is_null());

  // The true treated region, with untreated skin around it: its hemoglobin falls too.
  options.redness.roi = redness::Region{pair[0].truth.treated_polygon, {}, "truth"};
  const CompareResult framed = ComparePair(before, after, options);
  ASSERT_TRUE(framed.before.baseline_found);
  EXPECT_LT(framed.after.treated.hemoglobin - framed.before.treated.hemoglobin, 0.0);
}

// The whole comparison, per-puncture persistence fits included, does not depend on the
// number of threads or the tile size.
TEST(ComparePair, IdenticalForAnyTileSizeAndThreadCount) {
  CompareOptions options;
  options.redness.vectors = options.registration.vectors = testing::SynthCameraVectors();
  options.detect.classifier = testing::SynthPunctureClassifier();
  synth::SceneOptions o = testing::SmallScene();
  o.width_px = 768;
  o.height_px = 576;
  o.skin_type = 4;
  const auto pair = synth::RenderScene(synth::SceneKind::kPair, 64, o);
  const cv::Mat before = testing::JpegRoundTrip(pair[0].bgr, 85), after = testing::JpegRoundTrip(pair[1].bgr, 85);
  auto run = [&] {
    const CompareResult r = ComparePair(before, after, options);
    return CompareToJson(r, "b", "a").dump() + PersistenceToCsv(r);
  };
  const std::string reference = run();
  ASSERT_GT(std::count(reference.begin(), reference.end(), '\n'), 50);
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    for (int tile : {96, 256}) {
      options.redness.tiling.tile_size_px = options.detect.tiling.tile_size_px = tile;
      EXPECT_EQ(run(), reference) << tile << "/" << threads;
    }
  }
}

}  // namespace
}  // namespace needlescope::healing
