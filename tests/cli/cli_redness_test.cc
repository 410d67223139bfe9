// Redness through the built executable: region files, errors, the heatmap.

#include <filesystem>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "needlescope/synth/scene.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"
#include "testing/test_images.h"

namespace needlescope {
namespace {

using testing::RunNeedlescope;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

class CliRedness : public ::testing::Test {
 protected:
  void SetUp() override {
    synth::SceneOptions o;
    o.width_px = 400;
    o.height_px = 300;
    scene_ = synth::RenderScene(synth::SceneKind::kSkinTreated, 12, o)[0];
    testing::WriteBytes(dir_.File("skin.jpg"), testing::Encode(scene_.bgr, ".jpg", {cv::IMWRITE_JPEG_QUALITY, 90}));
  }
  testing::TempDir dir_;
  synth::SceneImage scene_;
};

TEST_F(CliRedness, PolygonRoiGivesRednessSectionAndHeatmap) {
  std::string csv = "x,y\n";
  for (const cv::Point2d& p : scene_.truth.treated_polygon) csv += std::to_string(p.x) + "," + std::to_string(p.y) + "\n";
  testing::WriteBytes(dir_.File("roi.csv"), testing::Bytes(csv.begin(), csv.end()));
  const auto r = RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " --roi " + Quote(dir_.File("roi.csv")) +
                                " --write-maps --pictures redness -q -o " + Quote(dir_.File("out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir_.File("out/skin.json")));
  const auto& red = doc["redness"];
  EXPECT_EQ(red["roi_source"], dir_.File("roi.csv") + " (polygon)");
  EXPECT_EQ(red["white_balance"]["method"], "baseline-skin");
  for (const char* key : {"delta_hemoglobin", "delta_a_star", "delta_ei"}) {
    EXPECT_GT(red[key]["mean"].get<double>(), 0.0) << key;  // treated skin is redder
    EXPECT_TRUE(red[key].contains("p50") && red[key].contains("p90")) << key;
  }
  EXPECT_GT(red["erythema_area_fraction"].get<double>(), 0.3);
  // Without a scale there is no density per cm²; the count matches the list.
  EXPECT_TRUE(doc["detection"]["per_cm2"].is_null());
  EXPECT_EQ(doc["detection"]["count"], doc["punctures"].size());
  const cv::Mat heatmap = cv::imread(dir_.File("out/skin.redness.png"));
  ASSERT_FALSE(heatmap.empty());
  EXPECT_EQ(heatmap.rows, 300);
  EXPECT_GT(heatmap.cols, 400);  // the photo plus the colour bar
  const cv::Mat hemoglobin = cv::imread(dir_.File("out/skin.hemoglobin.tiff"), cv::IMREAD_UNCHANGED);
  ASSERT_EQ(hemoglobin.type(), CV_32FC1);
  EXPECT_EQ(hemoglobin.size(), cv::Size(400, 300));
  EXPECT_TRUE(cv::imread(dir_.File("out/skin.melanin.tiff"), cv::IMREAD_UNCHANGED).type() == CV_32FC1);
}

TEST_F(CliRedness, UnusableRegionsExitTwoWithOneLineAndNoOutput) {
  const std::string outside = "x,y\n500,400\n600,400\n600,500\n";
  testing::WriteBytes(dir_.File("outside.csv"), testing::Bytes(outside.begin(), outside.end()));
  const std::string garbled = "x,y\n1,2\nthree,4\n";
  testing::WriteBytes(dir_.File("garbled.csv"), testing::Bytes(garbled.begin(), garbled.end()));
  testing::WriteBytes(dir_.File("empty.png"), testing::Encode(cv::Mat::zeros(300, 400, CV_8U), ".png"));

  const auto run = [&](const std::string& roi) {
    return RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " --roi " + Quote(dir_.File(roi)) +
                          " -o " + Quote(dir_.File("out")));
  };
  const auto out_of_image = run("outside.csv");
  EXPECT_EQ(out_of_image.exit_code, 2);
  EXPECT_EQ(out_of_image.err, "needlescope: error: " + dir_.File("skin.jpg") + ": treated region (--roi) polygon lies outside the image (or encloses no pixel centre)\n");
  const auto bad_csv = run("garbled.csv");
  EXPECT_EQ(bad_csv.exit_code, 2);
  EXPECT_EQ(bad_csv.err, "needlescope: error: " + dir_.File("garbled.csv") + ": line 3 is not \"x,y\" numbers\n");
  const auto empty_mask = run("empty.png");
  EXPECT_EQ(empty_mask.exit_code, 2);
  EXPECT_NE(empty_mask.err.find("mask is empty"), std::string::npos) << empty_mask.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/skin.json")));

  const auto bad_patch = RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " --white-patch 1,2,3 -o " +
                                        Quote(dir_.File("out")));
  EXPECT_EQ(bad_patch.exit_code, 1);
}

TEST_F(CliRedness, FilmWithoutSkinIsAnalysedWithRednessMarkedNotMeasured) {
  const cv::Mat film(300, 400, CV_8UC3, cv::Scalar(235, 228, 205));
  testing::WriteBytes(dir_.File("film.png"), testing::Encode(film, ".png"));
  const auto r = RunNeedlescope("analyze " + Quote(dir_.File("film.png")) + " --pictures overlay,redness -q -o " +
                                Quote(dir_.File("out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir_.File("out/film.json")));
  EXPECT_EQ(doc["redness"]["measured"], false);
  EXPECT_NE(doc["redness"]["reason"].get<std::string>().find("no skin"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/film.redness.png")));
  EXPECT_TRUE(std::filesystem::exists(dir_.File("out/film.overlay.png")));  // punctures still drawn
}

// A close-up of the treated area: the region given fills the frame, so nothing is left to
// measure redness against. The photo is still analysed (exit 0) and says why there is no
// redness; its punctures are those found without the region.
TEST_F(CliRedness, TreatedRegionFillingTheFrameSaysSoAndKeepsThePunctures) {
  const std::string whole = "x,y\n0,0\n399,0\n399,299\n0,299\n";
  testing::WriteBytes(dir_.File("whole.csv"), testing::Bytes(whole.begin(), whole.end()));
  const auto r = RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " --roi " + Quote(dir_.File("whole.csv")) +
                                " --pictures redness -o " + Quote(dir_.File("out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir_.File("out/skin.json")));
  ASSERT_EQ(doc["warnings"].size(), 1u);
  EXPECT_EQ(doc["warnings"][0].get<std::string>().rfind("redness not measured: no untreated skin", 0), 0u);
  EXPECT_EQ(doc["redness"]["measured"], false);
  EXPECT_EQ(doc["redness"]["untreated_skin_in_frame"], false);
  EXPECT_EQ(doc["redness"]["reason"].get<std::string>().rfind("no untreated skin in the frame", 0), 0u)
      << doc["redness"]["reason"];
  EXPECT_FALSE(std::filesystem::exists(dir_.File("out/skin.redness.png")));

  ASSERT_EQ(RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " -q -o " + Quote(dir_.File("plain"))).exit_code, 0);
  const auto plain = nlohmann::json::parse(testing::ReadTextFile(dir_.File("plain/skin.json")));
  ASSERT_GT(plain["detection"]["count"].get<int>(), 10);
  EXPECT_EQ(doc["punctures"], plain["punctures"]);

  // With untreated skin named by the user, the same region is measured.
  const std::string corner = "x,y\n0,0\n60,0\n60,60\n0,60\n";
  testing::WriteBytes(dir_.File("corner.csv"), testing::Bytes(corner.begin(), corner.end()));
  ASSERT_EQ(RunNeedlescope("analyze " + Quote(dir_.File("skin.jpg")) + " --roi " + Quote(dir_.File("whole.csv")) +
                           " --reference-region " + Quote(dir_.File("corner.csv")) + " -q -o " + Quote(dir_.File("ref")))
                .exit_code,
            0);
  const auto with_reference = nlohmann::json::parse(testing::ReadTextFile(dir_.File("ref/skin.json")));
  EXPECT_EQ(with_reference["redness"]["measured"], true);
}

}  // namespace
}  // namespace needlescope

namespace needlescope {
namespace {

TEST(CliCalibrate, WritesAFileThatAnalyzeUsesAndRefusesABadOne) {
  testing::TempDir dir;
  ASSERT_EQ(testing::RunNeedlescope("synth --scene skin-treated --count 3 --seed 40 --width 400 --height 300 -q -o " +
                                    Quote(dir.File("set"))).exit_code, 0);
  const auto cal = testing::RunNeedlescope("calibrate " + Quote(dir.File("set")) + "/*.jpg -q -o " +
                                           Quote(dir.File("camera.json")));
  ASSERT_EQ(cal.exit_code, 0) << cal.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("camera.json")));
  EXPECT_EQ(doc["schema"], "needlescope.chromophores/1");
  EXPECT_EQ(doc["fit"]["images"], 3);

  const std::string image = Quote(dir.File("set/skin-treated-40.jpg"));
  const auto used = testing::RunNeedlescope("analyze " + image + " --chromophores " + Quote(dir.File("camera.json")) +
                                            " -q -o " + Quote(dir.File("out")));
  ASSERT_EQ(used.exit_code, 0) << used.err;
  const auto result = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/skin-treated-40.json")));
  EXPECT_EQ(result["redness"]["chromophore_vectors"]["source"], "calibrated: " + dir.File("camera.json"));
  EXPECT_EQ(result["redness"]["chromophore_vectors"]["melanin_rgb"], doc["melanin_rgb"]);

  testing::WriteBytes(dir.File("bad.json"), {'{', '}'});
  const auto bad = testing::RunNeedlescope("analyze " + image + " --chromophores " + Quote(dir.File("bad.json")) +
                                           " -o " + Quote(dir.File("out2")));
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(bad.err.rfind("needlescope: error: " + dir.File("bad.json") + ": not a chromophore calibration", 0), 0u)
      << bad.err;
}

}  // namespace
}  // namespace needlescope

namespace needlescope {
namespace {

TEST(CliDetection, DensityPerCm2WithAKnownScale) {
  testing::TempDir dir;
  synth::SceneOptions o;
  o.width_px = 500;
  o.height_px = 400;
  const cv::Mat skin = synth::RenderScene(synth::SceneKind::kSkinTreated, 8, o)[0].bgr;
  testing::WriteBytes(dir.File("plain.png"), testing::Encode(skin, ".png"));
  const auto r = testing::RunNeedlescope("analyze " + Quote(dir.File("plain.png")) + " --mm-per-px 0.05 -q -o " +
                                         Quote(dir.File("out")));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto doc = nlohmann::json::parse(testing::ReadTextFile(dir.File("out/plain.json")));
  const auto& d = doc["detection"];
  EXPECT_EQ(d["mm_per_px"], 0.05);
  ASSERT_GT(d["count"].get<int>(), 10);
  EXPECT_EQ(d["count"], doc["punctures"].size());
  // 500 x 400 px at 0.05 mm = 25 mm x 20 mm = 5 cm²: per_cm2 = count / 5.
  EXPECT_DOUBLE_EQ(d["per_cm2"].get<double>(), d["count"].get<double>() / 5.0);
  EXPECT_DOUBLE_EQ(d["per_megapixel"].get<double>(), d["count"].get<double>() / 0.2);
  EXPECT_EQ(d["target"], "blood");
  EXPECT_EQ(testing::RunNeedlescope("analyze " + Quote(dir.File("plain.png")) + " --mm-per-px -1 -o " +
                                    Quote(dir.File("out2"))).exit_code, 1);
}

}  // namespace
}  // namespace needlescope
