#include "needlescope/pipeline/pattern_uniformity.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace needlescope {
namespace {

redness::RednessResult TreatedMask(const cv::Mat& mask) {
  redness::RednessResult r;
  r.treated_found = true;
  r.treated_mask = mask;
  return r;
}

// Regression: two parts of a treated region touching at one corner pixel gave an outline
// through that pixel twice, and uniformity was not measured ("the window polygon
// intersects itself").
TEST(PatternUniformity, RegionTouchingItselfAtACornerStillGivesAWindow) {
  cv::Mat mask = cv::Mat::zeros(200, 200, CV_8U);
  mask(cv::Rect(20, 20, 80, 80)).setTo(255);    // big part: the one kept
  mask(cv::Rect(100, 100, 40, 40)).setTo(255);  // touches it diagonally at (99, 99)-(100, 100)
  const redness::RednessResult r = TreatedMask(mask);
  std::vector<Puncture> punctures;
  for (int y = 25; y < 100; y += 10)
    for (int x = 25; x < 100; x += 10) punctures.push_back({double(x), double(y), 2, 1, 0.1});
  const PatternUniformity u = MeasurePatternUniformity(punctures, mask.size(), std::nullopt, &r, {});
  EXPECT_NE(u.window_source.find("necks opened by 3 px"), std::string::npos) << u.window_source;
  // The window is the big square (pixel centres 79 px apart) less its opened, simplified
  // corners - not the two squares (another 39 x 39 px).
  EXPECT_NEAR(u.window.area(), 79.0 * 79.0, 0.03 * 79.0 * 79.0);
  EXPECT_EQ(u.points.size(), punctures.size());
}

TEST(PatternUniformity, SimpleRegionIsNotOpened) {
  cv::Mat mask = cv::Mat::zeros(200, 200, CV_8U);
  cv::circle(mask, {100, 100}, 60, 255, cv::FILLED);
  const redness::RednessResult r = TreatedMask(mask);
  const PatternUniformity u = MeasurePatternUniformity({}, mask.size(), std::nullopt, &r, {});
  EXPECT_EQ(u.window_source, "estimated treated region outline");
  EXPECT_NEAR(u.window.area(), CV_PI * 60 * 60, 0.02 * CV_PI * 60 * 60);
}

}  // namespace
}  // namespace needlescope
