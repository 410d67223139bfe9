#include "needlescope/healing/compare_pair.h"

#include <gtest/gtest.h>

#include "needlescope/synth/scene.h"
#include "testing/synth_photos.h"

namespace needlescope::healing {
namespace {

// Redness resolution against the truth's healing fraction (the bound: within 0.10).
TEST(ComparePair, RednessResolutionMatchesTheTruthsHealing) {
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
    EXPECT_NEAR(r.redness_resolution, pair[0].truth.pair->healing_fraction, 0.10) << seed;
    ASSERT_TRUE(r.puncture_persistence.has_value());
    EXPECT_GT(r.compared, 100);
    EXPECT_GE(r.score, 0);
    EXPECT_LE(r.score, 100);
  }
}

}  // namespace
}  // namespace needlescope::healing
