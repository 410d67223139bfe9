// The report pages' parts without a browser: layers at display size, the page's figures
// read from a results document (missing sections included), and the healing intervals.

#include <gtest/gtest.h>

#include <cmath>
#include <regex>

#include <opencv2/imgcodecs.hpp>

#include "needlescope/healing/resolution_interval.h"
#include "needlescope/report/analysis_report.h"
#include "needlescope/report/display_layers.h"

namespace needlescope::report {
namespace {

TEST(DisplayLayers, TheLongSideIsCappedAndSmallPhotosKeepTheirSize) {
  EXPECT_EQ(DisplaySize({6000, 4000}), cv::Size(2400, 1600));
  EXPECT_EQ(DisplaySize({3000, 6000}), cv::Size(1200, 2400));
  EXPECT_EQ(DisplaySize({1024, 768}), cv::Size(1024, 768));
}

// Unmeasured pixels are transparent, measured ones at the set opacity, and the top of the
// scale is the 99th percentile of what is measured.
TEST(DisplayLayers, HeatLayerIsClearWhereNothingWasMeasured) {
  cv::Mat map(80, 200, CV_32F, cv::Scalar(std::nanf("")));
  for (int y = 0; y < map.rows; ++y) {
    for (int x = 100; x < 200; ++x) map.at<float>(y, x) = float(x - 100) / 99.0f;  // 0 .. 1
  }
  const HeatLayer layer = MakeHeatLayer(map, cv::Mat(), map.size());
  EXPECT_NEAR(layer.top, 0.99, 0.011);
  EXPECT_EQ(layer.mime, "image/webp");
  const cv::Mat decoded = cv::imdecode(layer.image, cv::IMREAD_UNCHANGED);
  ASSERT_EQ(decoded.channels(), 4);
  ASSERT_EQ(decoded.size(), map.size());
  for (int y = 0; y < decoded.rows; y += 7) {
    EXPECT_EQ(decoded.at<cv::Vec4b>(y, 50)[3], 0);
    EXPECT_EQ(decoded.at<cv::Vec4b>(y, 150)[3], 179);  // 0.7 opacity
  }
  // Viridis: the top is yellow (red and green high), the bottom dark blue.
  const cv::Vec4b hot = decoded.at<cv::Vec4b>(40, 198), cold = decoded.at<cv::Vec4b>(40, 101);
  EXPECT_GT(hot[2], 200);
  EXPECT_LT(cold[2], 100);
}

nlohmann::ordered_json SmallAnalysis() {
  nlohmann::ordered_json a = {{"schema", "needlescope.analysis/1"},
                              {"tool", {{"name", "needlescope"}, {"version", "test"}}},
                              {"image", {{"path", "p.jpg"}, {"format", "jpeg"}, {"width", 400}, {"height", 300},
                                         {"sha256", "ab"}}},
                              {"warnings", {"redness not measured: <no skin>"}},
                              {"punctures", nlohmann::ordered_json::array()},
                              {"detection", {{"count", 3}, {"per_megapixel", 25.0}, {"per_cm2", nullptr},
                                             {"decision", "thresholds"}, {"target", "stain"}}},
                              {"redness", nullptr},
                              {"uniformity", nullptr},
                              {"qc", {{"flags", {"blurred"}}, {"measures", nullptr}}}};
  for (int i = 0; i < 3; ++i) a["punctures"].push_back({{"x", 10.0 * i}, {"y", 5.0}, {"radius_px", 2.0}, {"score", 0.5}});
  return a;
}

// Every figure comes from the document; what is missing is said, not invented; user text
// is escaped.
TEST(AnalysisReport, ShowsTheDocumentsFiguresAndSaysWhatIsMissing) {
  const nlohmann::ordered_json a = SmallAnalysis();
  AnalysisReportInput in;
  in.analysis = &a;
  in.shown_name = "<b>name</b>.jpg";
  const std::string html = AnalysisReportHtml(in);
  EXPECT_NE(html.find("<span id=\"puncture-count\">3</span>"), std::string::npos);
  EXPECT_NE(html.find("25 per megapixel"), std::string::npos);
  EXPECT_NE(html.find("scale unknown"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;name&lt;/b&gt;.jpg"), std::string::npos);
  EXPECT_EQ(html.find("<b>name</b>"), std::string::npos);
  EXPECT_NE(html.find("redness not measured: &lt;no skin&gt;"), std::string::npos);
  EXPECT_NE(html.find("<b>blurred</b>: " + QcFlagMeaning("blurred")), std::string::npos);
  EXPECT_NE(html.find("Redness</div><div class=\"value\">not measured"), std::string::npos);
  // The marks: one point per puncture, for the page's script.
  const std::regex points("\"points\":\\[(\\[[^\\]]*\\],?)*\\]");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(html, m, points));
  const std::string marks = m.str();
  EXPECT_EQ(std::count(marks.begin(), marks.end(), '[') - 1, 3);
}

// With the scale, density per cm² and gap distances in mm; the footer names the version and
// the schema.
TEST(AnalysisReport, WithAScaleTheFiguresAreInMillimetres) {
  nlohmann::ordered_json a = SmallAnalysis();
  a["detection"]["per_cm2"] = 164.2;
  a["detection"]["mm_per_px"] = 0.05;
  a["uniformity"] = {{"n", 3}, {"score", 96.0}, {"verdict", "even"}, {"window_source", "estimated treated region outline"},
                     {"gap_fraction", 0.000024}, {"gap_distance_px", 16.3}, {"hotspot_fraction", 0.0},
                     {"largest_empty_circle", {{"x", 10.0}, {"y", 20.0}, {"radius_px", 17.6}, {"radius_mm", 0.88}}}};
  AnalysisReportInput in;
  in.analysis = &a;
  in.shown_name = "p.jpg";
  const std::string html = AnalysisReportHtml(in);
  EXPECT_NE(html.find("164 per cm²"), std::string::npos);
  EXPECT_NE(html.find("at 0.05 mm per pixel"), std::string::npos);
  EXPECT_NE(html.find("farther than 0.82 mm"), std::string::npos);  // 16.3 px × 0.05
  EXPECT_NE(html.find("1.8 mm across"), std::string::npos);         // 2 × 0.88 mm
  EXPECT_NE(html.find("96 / 100, even"), std::string::npos);
  EXPECT_NE(html.find("cx=\"10\" cy=\"20\" r=\"17.6\""), std::string::npos);  // the circle, in photo px
  EXPECT_NE(html.find("needlescope test, needlescope.analysis/1"), std::string::npos);
}

// A clean pair: Δ 1 everywhere before, 0.5 after → resolution 0.5 exactly, whatever blocks
// are drawn.
TEST(ResolutionInterval, AnEvenMapGivesAPointInterval) {
  redness::RednessResult before, after;
  for (auto* r : {&before, &after}) {
    r->treated_found = true;
    r->treated_mask = cv::Mat(128, 128, CV_8U, cv::Scalar(255));
  }
  before.delta_hemoglobin_map = cv::Mat(128, 128, CV_32F, cv::Scalar(1.0));
  after.delta_hemoglobin_map = cv::Mat(128, 128, CV_32F, cv::Scalar(0.5));
  const auto interval = healing::RednessResolutionInterval(before, after);
  ASSERT_TRUE(interval);
  EXPECT_NEAR(interval->first, 0.5, 1e-9);
  EXPECT_NEAR(interval->second, 0.5, 1e-9);
}

// Blocks that differ make an interval that holds the estimate, narrows with more of them,
// and is the same on every run.
TEST(ResolutionInterval, UnevenBlocksGiveAnIntervalAroundTheEstimateThatNarrowsWithArea) {
  const auto make = [](int side, double level, int seed) {
    redness::RednessResult r;
    r.treated_found = true;
    r.treated_mask = cv::Mat(side, side, CV_8U, cv::Scalar(255));
    r.delta_hemoglobin_map = cv::Mat(side, side, CV_32F);
    cv::RNG rng(seed);
    for (int by = 0; by < side; by += 32) {
      for (int bx = 0; bx < side; bx += 32) {
        r.delta_hemoglobin_map(cv::Rect(bx, by, 32, 32)).setTo(level * (1 + rng.uniform(-0.5, 0.5)));
      }
    }
    return r;
  };
  double widths[2];
  for (int k = 0; k < 2; ++k) {
    const int side = k == 0 ? 256 : 1024;
    const auto before = make(side, 1.0, 1), after = make(side, 0.4, 2);
    const double estimate = 1 - cv::mean(after.delta_hemoglobin_map)[0] / cv::mean(before.delta_hemoglobin_map)[0];
    const auto interval = healing::RednessResolutionInterval(before, after);
    ASSERT_TRUE(interval);
    EXPECT_LT(interval->first, estimate);
    EXPECT_GT(interval->second, estimate);
    EXPECT_EQ(*interval, *healing::RednessResolutionInterval(before, after));
    widths[k] = interval->second - interval->first;
  }
  EXPECT_LT(widths[1], 0.5 * widths[0]);  // 16 × the blocks: about a quarter of the width
}

}  // namespace
}  // namespace needlescope::report
