// SIGKILL at a random moment of `analyze` (50 times), and of `compare`, `series` and
// `validate` (15 times each), leaves every output file either as it was before the run or
// complete from the run: each is written to a temporary name and renamed.
// (batch's own kill test: CliBatch.KilledAtAnyMomentItLosesAndDoublesNothing.)

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The file's content as compared across runs: an analysis document without its timings
// (they differ from run to run), any other file as its bytes.
std::string Comparable(const fs::path& file) {
  const std::string text = testing::ReadTextFile(file.string());
  if (file.extension() != ".json") return text;
  nlohmann::json doc = nlohmann::json::parse(text);  // throws on a partial document
  doc.erase("timing_ms");
  return doc.dump();
}

std::map<std::string, std::string> Outputs(const std::string& folder) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) continue;  // an unfinished temporary, never an output name
    files[name] = name.size() > 5 && name.substr(name.size() - 5) == ".html" ? "" : Comparable(entry.path());
  }
  return files;
}

// One command killed at random moments over the outputs an older version of its inputs
// left: `write_inputs(0)` writes the older inputs, `write_inputs(1)` the newer, under the same
// names; `command` is needlescope's arguments before " -o OUT".
struct KillCase {
  std::function<void(int version)> write_inputs;
  std::string command;
  int kills;
};

void ExpectEveryOutputOldOrCompleteNew(const testing::TempDir& dir, const KillCase& c) {
  const std::string out = dir.File("out");
  auto run_into = [&](const std::string& folder) {
    return testing::RunNeedlescope(c.command + " -o " + Quote(folder) + " --quiet");
  };
  c.write_inputs(0);
  ASSERT_EQ(run_into(dir.File("old")).exit_code, 0);
  c.write_inputs(1);
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(run_into(dir.File("new")).exit_code, 0);
  const double run_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto old_files = Outputs(dir.File("old")), new_files = Outputs(dir.File("new"));
  ASSERT_EQ(old_files.size(), new_files.size());
  ASSERT_NE(old_files, new_files);  // else "old or new" would be no test

  std::mt19937 random(29);
  // Delays over most of a run ("timeout 0" would mean no limit, hence the millisecond).
  std::uniform_real_distribution<double> delay(0.001, 0.9 * run_s);
  // Until c.kills runs were killed (a run that finished first counts for nothing).
  int killed = 0, attempt = 0;
  for (; attempt < 3 * c.kills && killed < c.kills; ++attempt) {
    fs::remove_all(out);  // each attempt starts from the old outputs
    fs::copy(dir.File("old"), out);
    const auto r = testing::RunProgram("/usr/bin/timeout", "-s KILL " + std::to_string(delay(random)) + " " +
                                                               Quote(testing::NeedlescopeBinary()) + " " + c.command +
                                                               " -o " + Quote(out) + " --quiet");
    killed += r.exit_code != 0;
    std::map<std::string, std::string> now;
    ASSERT_NO_THROW(now = Outputs(out)) << "a partial JSON document after a kill at attempt " << attempt;
    for (const auto& [name, content] : now) {
      ASSERT_TRUE(old_files.count(name)) << name;
      if (name.size() > 5 && name.substr(name.size() - 5) == ".html") {
        const std::string page = testing::ReadTextFile(out + "/" + name);
        EXPECT_NE(page.rfind("</html>"), std::string::npos) << name << " cut short, attempt " << attempt;
      } else {
        EXPECT_TRUE(content == old_files.at(name) || content == new_files.at(name))
            << name << " is neither the old file nor the new one, attempt " << attempt;
      }
    }
    EXPECT_EQ(now.size(), old_files.size()) << "an output went missing, attempt " << attempt;
  }
  // The next run sweeps up what killed ones left half-written (pid 999999999 is above any
  // Linux pid_max, so no process of that number runs).
  testing::WriteBytes(out + "/left.json.tmp-999999999", {'{'});
  ASSERT_EQ(run_into(out).exit_code, 0);
  for (const auto& entry : fs::directory_iterator(out)) {
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
  }
  EXPECT_EQ(killed, c.kills) << "in " << attempt << " attempts";
  std::cout << "killed " << killed << " of " << attempt << " runs\n";
}

// Two synthetic scenes of `kind` (512 x 384, seeds `seed` and `seed` + 1), for versions 0 and 1.
std::string SynthScenes(const testing::TempDir& dir, const std::string& kind, int seed) {
  const std::string folder = dir.File("scenes");
  for (int s : {seed, seed + 1}) {
    const auto r = testing::RunNeedlescope("synth -o " + Quote(folder) + " --scene " + kind + " --seed " +
                                           std::to_string(s) + " --width 512 --height 384 --quiet");
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  return folder;
}

void CopyOver(const std::string& from, const std::string& to) {
  fs::copy_file(from, to, fs::copy_options::overwrite_existing);
}

TEST(KilledRuns, EveryOutputIsTheOldOneOrACompleteNewOne) {
  testing::TempDir dir;
  const std::string photo = dir.File("cheek.jpg");
  ExpectEveryOutputOldOrCompleteNew(
      dir, {[&](int version) {
              testing::WriteBytes(photo, testing::Encode(testing::TexturedImage({600, 450}, 41 + version), ".jpg"));
            },
            "analyze " + Quote(photo) + " --pictures overlay,redness,coverage --threads 2", 50});
}

// The same for the other commands that write files, 15 kills each (they share analyze's
// writer; these show each command's own outputs go through it).
TEST(KilledRuns, CompareSeriesAndValidateToo) {
  {
    testing::TempDir dir;
    const std::string scenes = SynthScenes(dir, "pair", 5);
    const std::string before = dir.File("before.jpg"), after = dir.File("after.jpg");
    ExpectEveryOutputOldOrCompleteNew(dir, {[&](int version) {
                                              const std::string stem = scenes + "/pair-" + std::to_string(5 + version);
                                              CopyOver(stem + "-before.jpg", before);
                                              CopyOver(stem + "-after.jpg", after);
                                            },
                                            "compare " + Quote(before) + " " + Quote(after), 15});
  }
  {
    testing::TempDir dir;
    const std::string scenes = SynthScenes(dir, "pair", 5);
    const std::string day0 = dir.File("day0.jpg"), day7 = dir.File("day7.jpg"), day14 = dir.File("day14.jpg");
    ExpectEveryOutputOldOrCompleteNew(dir, {[&](int version) {
                                              const std::string stem = scenes + "/pair-" + std::to_string(5 + version);
                                              CopyOver(stem + "-before.jpg", day0);
                                              CopyOver(stem + "-after.jpg", day7);
                                              CopyOver(stem + "-after.jpg", day14);
                                            },
                                            "series " + Quote(day0) + " " + Quote(day7) + " " + Quote(day14) +
                                                " --times 0,7,14",
                                            15});
  }
  {
    testing::TempDir dir;
    const std::string scenes = SynthScenes(dir, "substrate", 6);
    const std::string film = dir.File("film.jpg");
    ExpectEveryOutputOldOrCompleteNew(
        dir, {[&](int version) { CopyOver(scenes + "/substrate-" + std::to_string(6 + version) + ".jpg", film); },
              "validate " + Quote(film) + " --cartridge grid9", 15});
  }
}

// Out of memory (here under `ulimit -v`) is that photo's error, not the run's end: a 24 MP
// photo fails with the reason, the small one after it is analysed (the test's paths have no
// spaces or quotes, so the shell line needs no quoting inside). AddressSanitizer reserves
// terabytes of address space, so under it this cannot run.
TEST(ResourceLimits, APhotoTooLargeForTheMemoryFailsAloneWithTheReason) {
#if defined(__SANITIZE_ADDRESS__)
  GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
  GTEST_SKIP() << "ulimit -v and AddressSanitizer do not mix";
#endif
#endif
  testing::TempDir dir;
  testing::WriteBytes(dir.File("large.jpg"), testing::Encode(testing::TexturedImage({6000, 4000}, 51), ".jpg"));
  testing::WriteBytes(dir.File("small.jpg"), testing::Encode(testing::TexturedImage({200, 160}, 52), ".jpg"));
  const auto r = testing::RunProgram(
      "/bin/sh", "-c " + Quote("ulimit -v 400000 && exec " + testing::NeedlescopeBinary() +
                               " analyze " + dir.File("large.jpg") + " " + dir.File("small.jpg") + " -o " +
                               dir.File("out") + " --no-report --quiet --threads 1"));
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("needlescope: error: " + dir.File("large.jpg") + ": not enough memory to ", 0), 0u) << r.err;
  EXPECT_FALSE(fs::exists(dir.File("out/large.json")));
  EXPECT_TRUE(fs::exists(dir.File("out/small.json")));
}

}  // namespace
}  // namespace needlescope
