// Comparable colour across sessions: the same treated skin photographed with a ColorChecker
// under daylight and under a bluish lamp. Corrected by the chart, the lamp's photo measures
// the redness the daylight photo does; uncorrected, it does not.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "testing/colour_chart_image.h"
#include "testing/run_binary.h"
#include "testing/temp_dir.h"

namespace needlescope {
namespace {

const std::string kSamples = std::string(NEEDLESCOPE_SOURCE_DIR) + "/sample_images/";

void WriteJpeg(const std::string& path, const cv::Mat& bgr) { cv::imwrite(path, bgr, {cv::IMWRITE_JPEG_QUALITY, 92}); }

nlohmann::json Analyze(const testing::TempDir& dir, const std::string& photo, const std::string& extra) {
  const std::string out = dir.File("out-" + std::string(extra.empty() ? "default" : "none") + "-" + photo);
  const auto r = testing::RunNeedlescope("analyze " + dir.File(photo) + " -q -o " + out + " " + extra);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string stem = photo.substr(0, photo.size() - 4);
  return nlohmann::json::parse(testing::ReadTextFile(out + "/" + stem + ".json"));
}

TEST(CliColour, AChartInTheFrameMakesRednessComparableAcrossLamps) {
  testing::TempDir dir;
  // The treated sample with a strip of untreated skin below it, the chart on the strip.
  const cv::Mat treated = cv::imread(kSamples + "skin-treated-101.jpg"), plain = cv::imread(kSamples + "skin-untreated-105.jpg");
  cv::Mat daylight;
  cv::vconcat(treated, plain(cv::Rect(0, plain.rows - 260, plain.cols, 260)), daylight);
  testing::DrawColorChecker(daylight, {40, treated.rows + 20}, 36);
  cv::Mat lamp;
  cv::multiply(daylight, cv::Scalar(1.15, 1.0, 0.8), lamp);
  WriteJpeg(dir.File("daylight.jpg"), daylight);
  WriteJpeg(dir.File("lamp.jpg"), lamp);

  const auto day = Analyze(dir, "daylight.jpg", ""), corrected = Analyze(dir, "lamp.jpg", "");
  const auto raw = Analyze(dir, "lamp.jpg", "--colour-chart none");
  ASSERT_EQ(day["colour"]["corrected"], true) << day["colour"];
  ASSERT_EQ(corrected["colour"]["corrected"], true) << corrected["colour"];
  EXPECT_EQ(raw["colour"]["corrected"], false);
  const auto a_star = [](const nlohmann::json& doc) { return doc["redness"]["delta_a_star"]["mean"].get<double>(); };
  const auto treated_a = [](const nlohmann::json& doc) { return doc["redness"]["treated"]["a_star"].get<double>(); };
  const double off_corrected = std::fabs(a_star(corrected) - a_star(day)), off_raw = std::fabs(a_star(raw) - a_star(day));
  // Seen: Δa* 19.34 in daylight, 19.48 under the lamp corrected, 16.02 uncorrected.
  EXPECT_LT(off_corrected, 0.5 * off_raw) << a_star(day) << " " << a_star(corrected) << " " << a_star(raw);
  EXPECT_LT(std::fabs(treated_a(corrected) - treated_a(day)), 0.5 * std::fabs(treated_a(raw) - treated_a(day)));
  // The page says so.
  const std::string page = testing::ReadTextFile(dir.File("out-default-lamp.jpg/lamp.report.html"));
  EXPECT_NE(page.find("corrected by the ColorChecker in the frame"), std::string::npos);
}

}  // namespace
}  // namespace needlescope
