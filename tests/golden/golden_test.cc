// Golden tests (as OpenImageIO's test suite compares against stored reference outputs): the
// sample images' JSON documents against references in tests/golden/, every number within a
// stated tolerance, every string and key equal. A change that moves a figure fails here
// and shows which; after a deliberate change, regenerate the references with
//   NEEDLESCOPE_UPDATE_GOLDEN=1 build/tests/golden_test
// and commit them with the change that moved them.
//
// Tolerances: a number passes within 1 % of the reference or 1e-3 absolute (a figure that
// depends on a near-threshold puncture or a float summed in another order may move that
// much between machines; anything more is a change in behaviour). Arrays longer than 16 are
// compared by their length alone (within the same tolerance: the punctures, a window's
// vertices, gap outlines); timings, thread counts and paths are not compared.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

using Json = nlohmann::ordered_json;

const std::string kSource = NEEDLESCOPE_SOURCE_DIR;
const std::string kSamples = kSource + "/sample_images/";
constexpr double kRelative = 0.01, kAbsolute = 1e-3;
constexpr size_t kLongArray = 16;

// Run-to-run and machine-to-machine facts, and the input paths (strings under these keys;
// compare's "before" and "after" counts are compared).
bool Ignored(const std::string& key, const Json& value) {
  if (key == "timing_ms" || key == "threads" || key == "classifier_file" || key == "tool") return true;
  return value.is_string() && (key == "path" || key == "image" || key == "before" || key == "after");
}

// Long arrays become their length; ignored keys go.
Json Trimmed(const Json& value) {
  if (value.is_array()) {
    if (value.size() > kLongArray) return Json{{"array_of", value.size()}};
    Json out = Json::array();
    for (const Json& v : value) out.push_back(Trimmed(v));
    return out;
  }
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [key, v] : value.items()) {
      if (!Ignored(key, v)) out[key] = Trimmed(v);
    }
    return out;
  }
  return value;
}

// Every difference beyond the tolerances, one line each, with its JSON path.
void Compare(const Json& expected, const Json& actual, const std::string& at, std::vector<std::string>* out) {
  if (expected.is_number() && actual.is_number()) {
    const double e = expected.get<double>(), a = actual.get<double>();
    if (!(std::fabs(a - e) <= std::max(kAbsolute, kRelative * std::fabs(e)))) {
      out->push_back(at + ": " + actual.dump() + ", reference " + expected.dump());
    }
    return;
  }
  if (expected.type() != actual.type()) {
    out->push_back(at + ": " + actual.dump().substr(0, 80) + ", reference " + expected.dump().substr(0, 80));
    return;
  }
  if (expected.is_object()) {
    for (const auto& [key, v] : expected.items()) {
      if (!actual.contains(key)) {
        out->push_back(at + "/" + key + ": missing");
      } else {
        Compare(v, actual[key], at + "/" + key, out);
      }
    }
    for (const auto& [key, v] : actual.items()) {
      if (!expected.contains(key)) out->push_back(at + "/" + key + ": not in the reference");
    }
  } else if (expected.is_array()) {
    if (expected.size() != actual.size()) {
      out->push_back(at + ": " + std::to_string(actual.size()) + " items, reference " + std::to_string(expected.size()));
      return;
    }
    for (size_t i = 0; i < expected.size(); ++i) Compare(expected[i], actual[i], at + "/" + std::to_string(i), out);
  } else if (expected != actual) {
    out->push_back(at + ": " + actual.dump() + ", reference " + expected.dump());
  }
}

void ExpectMatchesReference(const std::string& name, const std::string& produced_json) {
  const Json actual = Trimmed(Json::parse(testing::ReadTextFile(produced_json)));
  const std::string reference_path = kSource + "/tests/golden/" + name + ".json";
  if (std::getenv("NEEDLESCOPE_UPDATE_GOLDEN")) {
    std::ofstream(reference_path) << actual.dump(1) << "\n";
    GTEST_SKIP() << "wrote " << reference_path;
  }
  std::vector<std::string> differences;
  Compare(Json::parse(testing::ReadTextFile(reference_path)), actual, name, &differences);
  std::string report;
  for (const std::string& d : differences) report += "  " + d + "\n";
  EXPECT_TRUE(differences.empty()) << differences.size() << " differences from " << reference_path << ":\n" << report;
}

class Golden : public ::testing::Test {
 protected:
  testing::TempDir dir_;
};

TEST_F(Golden, AnalysisOfTreatedSkinWithAScale) {
  ASSERT_EQ(testing::RunNeedlescope("analyze " + kSamples + "skin-treated-101.jpg --mm-per-px 0.05 --no-report -q -o " +
                                    dir_.path()).exit_code, 0);
  ExpectMatchesReference("skin-treated-101", dir_.File("skin-treated-101.json"));
}

TEST_F(Golden, AnalysisOfUntreatedSkin) {
  ASSERT_EQ(testing::RunNeedlescope("analyze " + kSamples + "skin-untreated-105.jpg --no-report -q -o " + dir_.path()).exit_code,
            0);
  ExpectMatchesReference("skin-untreated-105", dir_.File("skin-untreated-105.json"));
}

TEST_F(Golden, AnalysisOfAStainedSubstrate) {
  ASSERT_EQ(testing::RunNeedlescope("analyze " + kSamples + "substrate-104.jpg --no-report -q -o " + dir_.path()).exit_code, 0);
  ExpectMatchesReference("substrate-104", dir_.File("substrate-104.json"));
}

TEST_F(Golden, ComparisonOfTheSamplePair) {
  ASSERT_EQ(testing::RunNeedlescope("compare " + kSamples + "pair-103-before.jpg " + kSamples +
                                    "pair-103-after.jpg --no-report -q -o " + dir_.path()).exit_code, 0);
  ExpectMatchesReference("pair-103", dir_.File("pair-103-before_vs_pair-103-after.json"));
}

}  // namespace
}  // namespace needlescope
