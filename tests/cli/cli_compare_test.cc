// `needlescope compare`: outputs of an aligned pair, and refusal of an unrelated one.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "needlescope/report/html_text.h"

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
                                "pair-103-after.jpg -o " + dir.File("out") + " -q --pictures --mm-per-px 0.05 --chromophores " +
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
  // With the scale, each photo's density: its count over its area (1024 × 768 px at 0.05 mm).
  const double area_cm2 = 1024 * 768 * 0.05 * 0.05 / 100;
  EXPECT_NEAR(doc["punctures"]["before_per_cm2"].get<double>(), doc["punctures"]["before"].get<double>() / area_cm2, 1e-9);
  EXPECT_NEAR(doc["punctures"]["after_per_cm2"].get<double>(), doc["punctures"]["after"].get<double>() / area_cm2, 1e-9);
  EXPECT_TRUE(std::filesystem::exists(base + ".side_by_side.png"));
  EXPECT_TRUE(std::filesystem::exists(base + ".difference.png"));

  // The persistence CSV accounts for the JSON's figures puncture by puncture.
  std::istringstream csv(testing::ReadTextFile(base + ".persistence.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "before_x,before_y,radius_px,after_x,after_y,after_amplitude,persists");
  const double threshold = doc["healing"]["persistence_min_amplitude"];
  int rows = 0, persisting = 0;
  while (std::getline(csv, line)) {
    double values[7];
    ASSERT_EQ(std::sscanf(line.c_str(), "%lf,%lf,%lf,%lf,%lf,%lf,%lf", &values[0], &values[1],
                          &values[2], &values[3], &values[4], &values[5], &values[6]),
              7)
        << line;
    EXPECT_EQ(values[6] == 1, values[5] >= threshold) << line;
    ++rows;
    persisting += int(values[6]);
  }
  EXPECT_GT(rows, 50);
  EXPECT_EQ(rows, doc["healing"]["punctures_compared"].get<int>());
  EXPECT_EQ(persisting, doc["healing"]["punctures_persisting"].get<int>());
  EXPECT_DOUBLE_EQ(doc["healing"]["puncture_persistence"].get<double>(), double(persisting) / rows);
}

// A close-up: the treated region given fills the frame. compare measures AFTER against
// BEFORE (the sample pair heals: less hemoglobin); so does series, each photo against the
// first, and says so.
TEST(CliCompare, WithoutUntreatedSkinAfterIsMeasuredAgainstBefore) {
  testing::TempDir dir;
  std::ofstream(dir.File("whole.csv")) << "x,y\n-0.5,-0.5\n1023.5,-0.5\n1023.5,767.5\n-0.5,767.5\n";
  const std::string pair = kSamples + "pair-103-before.jpg " + kSamples + "pair-103-after.jpg";
  const auto r = RunNeedlescope("compare " + pair + " --roi " + dir.File("whole.csv") + " -q -o " + dir.File("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/pair-103-before_vs_pair-103-after.json")));
  const auto& healing = doc["healing"];
  EXPECT_TRUE(healing["redness_resolution"].is_null());
  EXPECT_LT(healing["redness_against_before"]["delta_hemoglobin"].get<double>(), 0.0);
  EXPECT_NE(healing["redness_against_before"]["why"].get<std::string>().find("no untreated skin"), std::string::npos);
  EXPECT_EQ(doc["redness_before"]["untreated_skin_in_frame"], false);
  EXPECT_EQ(doc["redness_before"]["treated_region_found"], true);
  EXPECT_TRUE(doc["redness_before"]["delta_hemoglobin"].is_null());
  EXPECT_GT(doc["redness_before"]["treated"]["hemoglobin"].get<double>(),
            doc["redness_after"]["treated"]["hemoglobin"].get<double>());
  EXPECT_TRUE(doc["redness_before"]["baseline"].is_null());
  // The page says what was measured instead of a resolution.
  const std::string page = testing::ReadTextFile(dir.File("out/pair-103-before_vs_pair-103-after.report.html"));
  EXPECT_NE(page.find("no untreated skin in BEFORE"), std::string::npos);
  EXPECT_EQ(page.find("Redness resolved"), std::string::npos);

  const auto series = RunNeedlescope("series " + pair + " " + kSamples + "pair-103-after.jpg --times 0,7,14 --mm-per-px 0.05 --roi " + dir.File("whole.csv") + " -q -o " +
                                     dir.File("series"));
  ASSERT_EQ(series.exit_code, 0) << series.err;
  const auto doc_series = nlohmann::json::parse(testing::ReadTextFile(dir.File("series/series.json")));
  EXPECT_EQ(doc_series["redness_against"], "the first photo");
  EXPECT_NE(doc_series["redness_against_why"].get<std::string>().find("no untreated skin"), std::string::npos);
  const auto& points = doc_series["points"];
  ASSERT_EQ(points.size(), 3u);
  EXPECT_EQ(points[0]["hemoglobin_change_since_first"], 0.0);
  EXPECT_NEAR(points[2]["punctures_per_cm2"].get<double>(), points[2]["punctures"].get<double>() / (1024 * 768 * 0.0025 / 100),
              1e-9);
  for (int i : {1, 2}) {
    EXPECT_TRUE(points[i]["excess_delta_hemoglobin"].is_null());
    EXPECT_TRUE(points[i]["redness_resolution"].is_null());
    // The same AFTER photo twice: the change compare measured, both times.
    EXPECT_NEAR(points[i]["hemoglobin_change_since_first"].get<double>(),
                healing["redness_against_before"]["delta_hemoglobin"].get<double>(), 1e-9);
  }
  // Two equal drops cannot show a half-life: the fit says why instead of inventing one.
  EXPECT_TRUE(doc_series["recovery_fit"].is_null());
  EXPECT_FALSE(doc_series["fit_note"].get<std::string>().empty());

  // A grey card's rectangle (--white-patch): balanced on it in both photos; a malformed one
  // is a usage error, one off the photo a bad input naming it.
  const std::string whole = " --roi " + dir.File("whole.csv") + " -q -o ";
  ASSERT_EQ(RunNeedlescope("compare " + pair + whole + dir.File("card") + " --white-patch 480,360,40,40").exit_code, 0);
  const auto card = nlohmann::json::parse(testing::ReadTextFile(dir.File("card/pair-103-before_vs_pair-103-after.json")));
  EXPECT_EQ(card["redness_before"]["white_balance"]["method"], "white-patch");
  EXPECT_EQ(card["redness_after"]["white_balance"]["method"], "white-patch");
  EXPECT_EQ(RunNeedlescope("compare " + pair + whole + dir.File("bad") + " --white-patch 1,2,3").exit_code, 1);
  const auto off = RunNeedlescope("compare " + pair + whole + dir.File("bad") + " --white-patch 1000,0,40,40");
  EXPECT_EQ(off.exit_code, 2);
  EXPECT_NE(off.err.find("white patch"), std::string::npos) << off.err;
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

namespace needlescope {
namespace {

// series: one time point per photo, the fit, and a photo of another place left out (exit 2)
// without stopping the others. The last photo's name holds a comma, as a clinic's may: it
// stays one CSV cell.
TEST(CliSeries, TimePointsFitAndAPhotoThatDoesNotAlign) {
  testing::TempDir dir;
  const std::string calibration = std::string(" --chromophores ") + NEEDLESCOPE_SOURCE_DIR +
                                  "/models/chromophores-synth-camera.json";
  const std::string day7 = dir.File("after, day 7.jpg");
  std::filesystem::copy_file(kSamples + "pair-103-after.jpg", day7);
  const auto r =
      RunNeedlescope("series " + kSamples + "pair-103-before.jpg " + kSamples +
                     "skin-treated-101.jpg " + kSamples + "pair-103-after.jpg '" + day7 +
                     "' --times 0,1,3,7 -q -o " + dir.File("out") + calibration);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find("skin-treated-101.jpg: cannot be aligned"), std::string::npos) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/series.json")));
  ASSERT_EQ(doc["points"].size(), 3u);  // before, after at day 3, after at day 7
  EXPECT_EQ(doc["points"][1]["day"], 3.0);
  EXPECT_LT(doc["points"][1]["excess_delta_hemoglobin"].get<double>(),
            doc["points"][0]["excess_delta_hemoglobin"].get<double>());
  EXPECT_FALSE(doc["recovery_fit"].is_null());
  EXPECT_GT(doc["recovery_fit"]["half_life_days"].get<double>(), 0);
  EXPECT_EQ(doc["failed"], 1);
  const std::string csv = testing::ReadTextFile(dir.File("out/series.csv"));
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 4);  // header + 3 rows
  EXPECT_NE(csv.find("\n7,\"" + day7 + "\","), std::string::npos) << csv;
  EXPECT_FALSE(std::filesystem::exists(dir.File("out/series.png")));  // only with --pictures
  EXPECT_FALSE(doc["points"][0].contains("punctures_per_cm2"));  // no scale given
  // The page shows the JSON's half-life and one row per point, the name with its comma as text.
  const std::string page = testing::ReadTextFile(dir.File("out/series.report.html"));
  const std::string half_life = report::Number(doc["recovery_fit"]["half_life_days"].get<double>(), 3);
  EXPECT_NE(page.find("<span id=\"half-life\">" + half_life + "</span> days"), std::string::npos) << half_life;
  EXPECT_NE(page.find("<td>after, day 7.jpg</td><td>7</td>"), std::string::npos);
  // One point drawn per time point, the fitted curve with them.
  size_t drawn = 0;
  for (size_t at = page.find("class=\"point\""); at != std::string::npos; at = page.find("class=\"point\"", at + 1)) ++drawn;
  EXPECT_EQ(drawn, doc["points"].size());
  EXPECT_NE(page.find("id=\"fit-curve\""), std::string::npos);
}

// The recovery fit on photos with a known curve (tools/series-accuracy.py does six): one
// skin rendered at days 0, 2, 5, 10, 20 with the truth's healing 1 - exp(-ln2 t / 5 days);
// the fitted half-life must be the true 5 days within the +-20 % that script reports.
TEST(CliSeries, KnownHalfLifeIsRecoveredFromPhotos) {
  testing::TempDir dir;
  const int days[] = {2, 5, 10, 20};
  std::string photos;
  for (int t : days) {
    char healing[32];
    std::snprintf(healing, sizeof healing, "%.6f", 1 - std::exp(-std::log(2.0) * t / 5.0));
    const std::string out = dir.File("day" + std::to_string(t));
    ASSERT_EQ(RunNeedlescope("synth --scene pair --seed 7000 --skin-type 1 -q --healing " +
                             std::string(healing) + " -o " + out).exit_code, 0);
    photos += " " + out + "/pair-7000-after.jpg";
  }
  const std::string before = dir.File("day2/pair-7000-before");
  const auto truth = nlohmann::json::parse(testing::ReadTextFile(before + ".truth.json"));
  std::string roi = "x,y\n";
  for (const auto& v : truth["treated_region"]["polygon"]) {
    roi += std::to_string(v[0].get<double>()) + "," + std::to_string(v[1].get<double>()) + "\n";
  }
  std::ofstream(before + ".roi.csv") << roi;
  const auto r = RunNeedlescope("series " + before + ".jpg" + photos + " --times 0,2,5,10,20 -q -o " +
                                dir.File("out") + " --roi " + before + ".roi.csv --chromophores " +
                                NEEDLESCOPE_SOURCE_DIR + "/models/chromophores-synth-camera.json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/series.json")));
  ASSERT_FALSE(doc["recovery_fit"]["half_life_days"].is_null());
  EXPECT_NEAR(doc["recovery_fit"]["half_life_days"].get<double>(), 5.0, 1.0);
  EXPECT_GT(doc["recovery_fit"]["r_squared"].get<double>(), 0.95);

  // The same photos as a close-up (the whole frame treated), with the default (literature)
  // vectors, as a new user would run them: the redness lost since the first photo gives
  // the half-life too (5.31 days measured; tools/series-accuracy.py --roi whole shows the
  // spread over skin types, docs/compare.md).
  std::ofstream(dir.File("whole.csv")) << "x,y\n-0.5,-0.5\n1023.5,-0.5\n1023.5,767.5\n-0.5,767.5\n";
  const auto close_up = RunNeedlescope("series " + before + ".jpg" + photos + " --times 0,2,5,10,20 -q -o " +
                                       dir.File("close-up") + " --roi " + dir.File("whole.csv"));
  ASSERT_EQ(close_up.exit_code, 0) << close_up.err;
  const auto fit = nlohmann::json::parse(testing::ReadTextFile(dir.File("close-up/series.json")))["recovery_fit"];
  ASSERT_FALSE(fit.is_null());
  EXPECT_EQ(fit["model"], "lost since the first photo(t) = a (1 - exp(-k t))");
  EXPECT_NEAR(fit["half_life_days"].get<double>(), 5.0, 1.0);
  EXPECT_GT(fit["r_squared"].get<double>(), 0.95);
}

}  // namespace
}  // namespace needlescope
