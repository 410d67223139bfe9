#include "needlescope/report/puncture_overlay.h"

#include <gtest/gtest.h>

namespace needlescope::report {
namespace {

TEST(PunctureOverlay, DrawsACircleOfOneAndAHalfRadiiAroundEachPuncture) {
  const cv::Mat grey(200, 200, CV_8UC3, cv::Scalar(128, 128, 128));
  const cv::Mat out = RenderPunctureOverlay(grey, {{100.0, 120.0, 4.0, 0.9}});
  EXPECT_EQ(out.at<cv::Vec3b>(120, 100), cv::Vec3b(128, 128, 128));  // the spot itself stays visible
  EXPECT_NE(out.at<cv::Vec3b>(120, 106), cv::Vec3b(128, 128, 128));  // circle at 1.5 x 4 px
  EXPECT_NE(out.at<cv::Vec3b>(114, 100), cv::Vec3b(128, 128, 128));
  EXPECT_EQ(out.at<cv::Vec3b>(120, 112), cv::Vec3b(128, 128, 128));  // nothing beyond it
  EXPECT_EQ(grey.at<cv::Vec3b>(120, 106), cv::Vec3b(128, 128, 128));  // the input is not drawn on
}

}  // namespace
}  // namespace needlescope::report
