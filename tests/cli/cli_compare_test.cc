// `needlescope compare`: outputs of an aligned pair, and refusal of an unrelated one.

#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::RunNeedlescope;

const std::string kSamples = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/";

TEST(CliCompare, AlignedPairWritesJsonAndPictures) {
  testing::TempDir dir;
  const auto r = RunNeedlescope("compare " + kSamples + "pair-103-before.jpg " + kSamples +
                                "pair-103-after.jpg -o " + dir.File("out") + " -q --chromophores " +
                                NEEDLESCOPE_SOURCE_DIR + "/models/chromophores-synth-camera.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string base = dir.File("out/pair-103-before_vs_pair-103-after");
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(base + ".json"));
  EXPECT_EQ(doc["schema"], "needlescope.compare/1");
  EXPECT_EQ(doc["registration"]["homography"].size(), 3u);
  EXPECT_GE(doc["registration"]["inliers"].get<int>(), 40);
  for (const char* key : {"redness_resolution", "redness_resolution_a_star", "puncture_persistence",
                          "new_punctures", "tone_evenness", "score"}) {
    EXPECT_TRUE(doc["healing"].contains(key)) << key;
  }
  EXPECT_TRUE(std::filesystem::exists(base + ".side_by_side.png"));
  EXPECT_TRUE(std::filesystem::exists(base + ".difference.png"));
}

TEST(CliCompare, UnrelatedPhotosExitTwoWithTheReason) {
  testing::TempDir dir;
  const auto r = RunNeedlescope("compare " + kSamples + "pair-103-before.jpg " + kSamples +
                                "skin-treated-101.jpg -o " + dir.File("out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("cannot be aligned onto"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("out")));
}

}  // namespace
}  // namespace needlescope
