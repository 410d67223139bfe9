#include "needlescope/report/coverage_map.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace needlescope::report {
namespace {

// The discs drawn on one copy of the whole picture, as the coverage map did before it
// drew them tile by tile.
cv::Mat WholePictureDiscs(const cv::Mat& bgr, const std::vector<cv::Point2d>& punctures, double r) {
  constexpr int kShift = 4;
  cv::Mat out = bgr * 0.4, discs = out.clone();
  for (const cv::Point2d& p : punctures) {
    cv::circle(discs, cv::Point(int(std::lround(p.x * 16)), int(std::lround(p.y * 16))),
               int(std::lround(r * (1 << kShift))), cv::Scalar(80, 220, 80), cv::FILLED, cv::LINE_AA, kShift);
  }
  cv::addWeighted(out, 0.5, discs, 0.5, 0, out);
  return out;
}

TEST(CoverageMap, EffectDiscsDrawnByTileEqualOneWholePictureDrawing) {
  cv::Mat bgr(1100, 1300, CV_8UC3);
  cv::RNG rng(7);
  rng.fill(bgr, cv::RNG::UNIFORM, 0, 256);
  std::vector<cv::Point2d> punctures;
  for (int i = 0; i < 600; ++i) {
    // x then y, in this order on every compiler (the order of a call's arguments is not).
    const double x = rng.uniform(-5.0, 1305.0);
    const double y = rng.uniform(-5.0, 1105.0);
    punctures.emplace_back(x, y);
  }
  // Discs straddling the default 512 px tile edges and the corners where four tiles meet.
  for (double edge : {511.5, 512.0, 1023.7, 1024.2}) {
    punctures.emplace_back(edge, 300.25);
    punctures.emplace_back(300.6, edge);
    punctures.emplace_back(edge, edge);
  }
  for (double r : {2.0, 7.3, 41.0}) {
    cv::Mat tiled = bgr * 0.4;
    BlendEffectDiscs(bgr, punctures, r, tiled);
    const cv::Mat whole = WholePictureDiscs(bgr, punctures, r);
    EXPECT_EQ(cv::norm(tiled, whole, cv::NORM_INF), 0) << "radius " << r;
    EXPECT_GT(cv::norm(tiled, bgr * 0.4, cv::NORM_INF), 0) << "radius " << r;  // discs were drawn
  }
}

}  // namespace
}  // namespace needlescope::report
