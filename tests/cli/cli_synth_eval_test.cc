// synth and eval through the built executable.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::RunNeedlescope;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

TEST(CliSynth, SameArgumentsGiveSameBytes) {
  testing::TempDir dir;
  const std::string args = " --scene all --seed 21 --width 320 --height 256 -q";
  ASSERT_EQ(RunNeedlescope("synth -o " + Quote(dir.File("a")) + args).exit_code, 0);
  const auto b = RunNeedlescope("synth -o " + Quote(dir.File("b")) + args);
  ASSERT_EQ(b.exit_code, 0) << b.err;
  int files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.File("a"))) {
    const std::string name = entry.path().filename().string();
    EXPECT_EQ(testing::ReadBytes(entry.path().string()), testing::ReadBytes(dir.File("b/" + name)))
        << name;
    ++files;
  }
  EXPECT_EQ(files, 1 + 2 * 5);  // manifest + 5 images (a pair is two) with their truth
}

TEST(CliSynth, ManifestMergesRunsAndRejectsBadOptions) {
  testing::TempDir dir;
  const std::string out = " -o " + Quote(dir.path()) + " --width 320 --height 256 -q";
  ASSERT_EQ(RunNeedlescope("synth --scene substrate --seed 1" + out).exit_code, 0);
  ASSERT_EQ(RunNeedlescope("synth --scene skin-untreated --seed 2 --format png" + out).exit_code, 0);
  const std::string manifest = testing::ReadTextFile(dir.File("manifest.csv"));
  EXPECT_NE(manifest.find("\nskin-untreated-2,skin-untreated,2,skin-untreated-2.png,"), std::string::npos);
  EXPECT_NE(manifest.find("\nsubstrate-1,substrate,1,substrate-1.jpg,"), std::string::npos);
  EXPECT_EQ(RunNeedlescope("synth --scene cheek" + out).exit_code, 1);
  EXPECT_EQ(RunNeedlescope("synth --width 10" + out).exit_code, 1);
  EXPECT_EQ(RunNeedlescope("synth --skin-type 9" + out).exit_code, 1);
}

// The synthetic images are valid input to analyze, and eval pairs truth with results by name.
TEST(CliEval, ScoresADirectoryAndReportsMissingResults) {
  testing::TempDir dir;
  ASSERT_EQ(RunNeedlescope("synth --scene skin-untreated --seed 3 --count 2 --width 320 --height 256 -q -o " +
                           Quote(dir.File("set"))).exit_code, 0);
  ASSERT_EQ(RunNeedlescope("analyze " + Quote(dir.File("set/skin-untreated-3.jpg")) + " " +
                           Quote(dir.File("set/skin-untreated-4.jpg")) + " -q -o " +
                           Quote(dir.File("res"))).exit_code, 0);
  const auto r = RunNeedlescope("eval --truth " + Quote(dir.File("set")) + " --result " +
                                Quote(dir.File("res")) + " --json - --csv " + Quote(dir.File("e.csv")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  EXPECT_EQ(report["images"].size(), 2u);
  EXPECT_EQ(report["fn"], 0);  // untreated skin: nothing to find
  EXPECT_TRUE(report.contains("fp_per_mp"));
  const std::string csv = testing::ReadTextFile(dir.File("e.csv"));
  EXPECT_EQ(csv.rfind("name,kind,fitzpatrick,jpeg_quality,tp,fp,fn,", 0), 0u);
  EXPECT_NE(csv.find("\nTOTAL,"), std::string::npos);

  std::filesystem::remove(dir.File("res/skin-untreated-4.json"));
  const auto missing = RunNeedlescope("eval --truth " + Quote(dir.File("set")) + " --result " +
                                      Quote(dir.File("res")) + " -q");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(missing.err, "needlescope: error: " + dir.File("res/skin-untreated-4.json") + ": no such file\n");
}

}  // namespace
}  // namespace needlescope
