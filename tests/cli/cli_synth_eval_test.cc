// synth and eval through the built executable.

#include <filesystem>
#include <sstream>
#include <string>

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
// A stain of another colour end to end: synth draws it, analyze is told it, the JSON says so.
TEST(CliSynth, CustomStainIsDrawnAndFoundWhenGiven) {
  testing::TempDir dir;
  const std::string scene = dir.File("s/substrate-3001.jpg");
  ASSERT_EQ(RunNeedlescope("synth --scene substrate --seed 3001 --width 512 --height 384 --stain-od 0.75,1,0.25 -q -o " +
                           Quote(dir.File("s")))
                .exit_code,
            0);
  const nlohmann::json truth = nlohmann::json::parse(testing::ReadTextFile(dir.File("s/substrate-3001.truth.json")));
  EXPECT_EQ(truth["scene"]["stain_od"], nlohmann::json({0.75, 1.0, 0.25}));
  const auto r = RunNeedlescope("analyze " + Quote(scene) + " --stain-od 0.75,1,0.25 --pictures none -q -o " +
                                Quote(dir.File("out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json d =
      nlohmann::json::parse(testing::ReadTextFile(dir.File("out/substrate-3001.json")))["detection"];
  EXPECT_EQ(d["target"], "stain") << d.dump();
  EXPECT_EQ(d["stain_od_given"], nlohmann::json({0.75, 1.0, 0.25}));
  EXPECT_EQ(d["stain"]["name"], "custom stain");
  EXPECT_LT(d["stain"]["angle_to_given_deg"].get<double>(), 20.0);
  EXPECT_GE(d["count"].get<int>(), int(0.9 * truth["counts"]["visible"].get<int>()));
  // Directions that cannot be a stain, or are not three numbers: usage errors, no output.
  for (const char* bad : {"0.5,0.5,0.5", "1,-0.2,0.3", "1,0.5", "violet"}) {
    const auto e = RunNeedlescope("analyze " + Quote(scene) + " --stain-od " + bad + " -q -o " + Quote(dir.File("bad")));
    EXPECT_EQ(e.exit_code, 1) << bad;
    EXPECT_NE(e.err.find("--stain-od"), std::string::npos) << e.err;
    EXPECT_FALSE(std::filesystem::exists(dir.File("bad/substrate-3001.json"))) << bad;
  }
  EXPECT_EQ(RunNeedlescope("synth --scene substrate --stain-od 3,0,0 -q -o " + Quote(dir.File("t"))).exit_code, 1);
  EXPECT_EQ(RunNeedlescope("synth --scene skin-treated --stain-od 0.75,1,0.25 -q -o " + Quote(dir.File("t"))).exit_code, 1);
}

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

// --matches: every truth point and every unmatched detection, agreeing with the counts.
TEST(CliEval, MatchesCsvAgreesWithTheCounts) {
  testing::TempDir dir;
  ASSERT_EQ(RunNeedlescope("synth --scene skin-treated --seed 5 --width 400 --height 320 -q -o " +
                           Quote(dir.File("set"))).exit_code, 0);
  ASSERT_EQ(RunNeedlescope("analyze " + Quote(dir.File("set/skin-treated-5.jpg")) + " -q -o " + Quote(dir.File("res")))
                .exit_code, 0);
  const auto r = RunNeedlescope("eval --truth " + Quote(dir.File("set")) + " --result " + Quote(dir.File("res")) +
                                " --json - --matches " + Quote(dir.File("m.csv")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto report = nlohmann::json::parse(r.out);
  const auto truth = nlohmann::json::parse(testing::ReadTextFile(dir.File("set/skin-treated-5.truth.json")));
  std::stringstream lines(testing::ReadTextFile(dir.File("m.csv")));
  std::string line;
  std::getline(lines, line);
  EXPECT_EQ(line, "name,truth,detection,distance_px,required,faint");
  int truth_rows = 0, hits = 0, misses = 0, extra = 0;
  while (std::getline(lines, line)) {
    std::stringstream cells(line);
    std::string name, t, d, distance, required, faint;
    for (std::string* cell : {&name, &t, &d, &distance, &required, &faint}) std::getline(cells, *cell, ',');
    ASSERT_EQ(name, "skin-treated-5");
    if (t == "-1") {
      ++extra;
      continue;
    }
    EXPECT_EQ(std::stoi(t), truth_rows++);  // in the truth file's order
    if (required == "1") (d == "-1" ? misses : hits)++;
  }
  EXPECT_EQ(truth_rows, int(truth["punctures"].size()));
  EXPECT_GT(hits, 10);
  EXPECT_EQ(hits, report["tp"].get<int>());
  EXPECT_EQ(misses, report["fn"].get<int>());
  EXPECT_EQ(extra, report["fp"].get<int>());
}

}  // namespace
}  // namespace needlescope
