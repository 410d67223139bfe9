#include "needlescope/healing/compare_pair.h"

#include <gtest/gtest.h>

#include "needlescope/pipeline/compare_json.h"
#include "needlescope/synth/scene.h"
#include "needlescope/tiling/thread_control.h"
#include "testing/synth_photos.h"

namespace needlescope::healing {
namespace {

// Options for photos of the synthetic camera, with its calibration and classifier.
CompareOptions SynthCameraOptions() {
  CompareOptions options;
  options.redness.vectors = options.registration.vectors = testing::SynthCameraVectors();
  options.detect.classifier = testing::SynthPunctureClassifier();
  return options;
}

// A 768 x 576 pair of `seed`, as the truth has it.
std::vector<synth::SceneImage> RenderPair(std::uint64_t seed, int skin_type) {
  synth::SceneOptions o = testing::SmallScene();
  o.width_px = 768;
  o.height_px = 576;
  o.skin_type = skin_type;
  return synth::RenderScene(synth::SceneKind::kPair, seed, o);
}

// Redness resolution against the truth's healing fraction and puncture persistence against
// the truth's (the bounds: within 0.10), on two pairs (seeds outside every set used
// for choosing parameters).
TEST(ComparePair, HealingMetricsMatchTheTruth) {
  const CompareOptions options = SynthCameraOptions();
  for (std::uint64_t seed : {61, 62}) {
    const auto pair = RenderPair(seed, int(seed % 6) + 1);
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
// untreated skin. AFTER is then measured against BEFORE: the region's hemoglobin falls as
// it heals, by the difference of the two photos' own means, and the score rests on
// persistence alone.
TEST(ComparePair, WithoutUntreatedSkinAfterIsMeasuredAgainstBefore) {
  CompareOptions options = SynthCameraOptions();
  const auto pair = RenderPair(63, 2);
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
  CompareOptions options = SynthCameraOptions();
  const auto pair = RenderPair(64, 4);
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
