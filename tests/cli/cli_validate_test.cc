// `needlescope validate` on synthetic substrates with known stamps and needles that never
// penetrate, and its refusals.

#include <filesystem>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "needlescope/validate/cartridge.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

using Json = nlohmann::json;
using testing::RunNeedlescope;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The never-penetrating needles found, turned by each of the layout's symmetries.
std::vector<std::set<int>> Turned(const validate::CartridgeLayout& layout, const std::set<int>& found) {
  std::vector<std::set<int>> all;
  for (const auto& permutation : layout.symmetry_permutation) {
    std::set<int> turned;
    for (int i : found) turned.insert(permutation[i]);
    all.push_back(turned);
  }
  return all;
}

TEST(CliValidate, FindsTheStampsAndTheNeedlesThatNeverPenetrate) {
  testing::TempDir dir;
  for (int seed : {7103, 7106}) {  // grid9 on film, two needles out; grid9 on skin, the centre one out
    ASSERT_EQ(RunNeedlescope("synth --scene substrate --seed " + std::to_string(seed) + " -o " + Quote(dir.File("s")) +
                             " -q --width 800 --height 600")
                  .exit_code,
              0);
    const std::string stem = "substrate-" + std::to_string(seed);
    const Json truth = Json::parse(testing::ReadTextFile(dir.File("s/" + stem + ".truth.json")));
    const std::string cartridge = truth["pattern"]["cartridge"]["name"];
    ASSERT_EQ(cartridge, "grid9");
    const auto run = RunNeedlescope("validate " + Quote(dir.File("s/" + stem + ".jpg")) + " -o " + Quote(dir.File("v")) +
                                    " --cartridge " + cartridge);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const Json v = Json::parse(testing::ReadTextFile(dir.File("v/" + stem + ".validation.json")));
    EXPECT_EQ(v["schema"], "needlescope.validation/1");
    EXPECT_EQ(v["stamps_counted"], truth["pattern"]["stamps"].size()) << seed;
    std::set<int> never, truth_never;
    for (const Json& n : v["needles"]) {
      if (n["hits"] == 0) never.insert(n["index"].get<int>());
      EXPECT_LE(n["ci95"][0].get<double>(), n["rate"].get<double>());
      EXPECT_GE(n["ci95"][1].get<double>(), n["rate"].get<double>());
      EXPECT_EQ(n["failing"].get<bool>(), n["ci95"][1].get<double>() < 0.9);
    }
    for (const Json& m : truth["pattern"]["missing_needles"]) truth_never.insert(m.get<int>());
    const validate::CartridgeLayout layout = validate::ParseCartridgeLayout(
        testing::ReadTextFile(std::string(NEEDLESCOPE_SOURCE_DIR) + "/models/cartridges/grid9.json"));
    const auto turned = Turned(layout, never);
    EXPECT_NE(std::find(turned.begin(), turned.end(), truth_never), turned.end()) << seed;
    EXPECT_TRUE(std::filesystem::exists(dir.File("v/" + stem + ".validation.png")));
    const std::string csv = testing::ReadTextFile(dir.File("v/" + stem + ".needles.csv"));
    EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 10);  // header + 9 needles

    // Without naming the cartridge: inferred from the stamps, recognised, the same answer.
    const auto auto_run = RunNeedlescope("validate " + Quote(dir.File("s/" + stem + ".jpg")) + " -o " +
                                         Quote(dir.File("a")) + " --cartridge auto");
    ASSERT_EQ(auto_run.exit_code, 0) << auto_run.err;
    const Json a = Json::parse(testing::ReadTextFile(dir.File("a/" + stem + ".validation.json")));
    EXPECT_EQ(a["cartridge"]["inferred"]["validated_with"], "grid9") << seed;
    EXPECT_EQ(a["cartridge"]["inferred"]["known_layouts"][0]["matched"], 9);
    EXPECT_EQ(a["stamps_counted"], v["stamps_counted"]);
    EXPECT_EQ(a["penetration_rate"]["hits"], v["penetration_rate"]["hits"]);
    const validate::CartridgeLayout inferred =
        validate::ParseCartridgeLayout(testing::ReadTextFile(dir.File("a/" + stem + ".cartridge.json")));
    EXPECT_EQ(inferred.needles_mm.size(), 9u);
  }
}

TEST(CliValidate, RefusesAnUnknownCartridgeAndABadLayoutFileByName) {
  testing::TempDir dir;
  const std::string photo = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/substrate-104.jpg";
  const auto unknown = RunNeedlescope("validate " + Quote(photo) + " -o " + Quote(dir.File("v")) + " --cartridge grid7");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("grid7: no such cartridge; known: circle12, grid16, grid36, grid9"), std::string::npos)
      << unknown.err;
  std::ofstream(dir.File("two.json")) << R"({"schema": "needlescope.cartridge/1", "name": "two", "needles_mm": [[0,0],[1,0]]})";
  const auto bad = RunNeedlescope("validate " + Quote(photo) + " -o " + Quote(dir.File("v")) + " --cartridge " +
                                  Quote(dir.File("two.json")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("two.json: not a cartridge layout: needs at least 3 needles"), std::string::npos) << bad.err;
  EXPECT_FALSE(std::filesystem::exists(dir.File("v/substrate-104.validation.json")));
  // The sample substrate: four grid36 stamps, every needle through.
  const auto ok = RunNeedlescope("validate " + Quote(photo) + " -o " + Quote(dir.File("v")) + " --cartridge grid36 --json -");
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const Json run = Json::parse(ok.out);
  EXPECT_EQ(run["command"], "validate");
  EXPECT_EQ(run["ok"], 1);
  EXPECT_EQ(run["images"][0]["penetration_rate"]["hits"], 144);
  const Json v = Json::parse(testing::ReadTextFile(dir.File("v/substrate-104.validation.json")));
  EXPECT_EQ(v["stamps_counted"], 4);
  EXPECT_EQ(v["penetration_rate"]["hits"], 144);
  EXPECT_EQ(v["penetration_rate"]["trials"], 144);
}

}  // namespace
}  // namespace needlescope
