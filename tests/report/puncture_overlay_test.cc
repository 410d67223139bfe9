#include "needlescope/report/puncture_overlay.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

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

// The colours can be read off the picture itself: a bar of the same scale, score 0 at its
// left end and 1 at its right, drawn where ScoreBarRect says, at any photo size.
TEST(PunctureOverlay, DrawsTheScoreScaleFromZeroToOne) {
  cv::Mat palette_index(1, 256, CV_8U), palette;
  for (int i = 0; i < 256; ++i) palette_index.at<std::uint8_t>(i) = std::uint8_t(i);
  cv::applyColorMap(palette_index, palette, cv::COLORMAP_VIRIDIS);
  for (const cv::Size size : {cv::Size(200, 200), cv::Size(4000, 3000)}) {
    const cv::Mat grey(size, CV_8UC3, cv::Scalar(128, 128, 128));
    const cv::Mat out = RenderPunctureOverlay(grey, {});
    const cv::Rect bar = ScoreBarRect(size);
    ASSERT_GT(bar.width, 50);
    const int mid = bar.y + bar.height / 2;
    EXPECT_EQ(out.at<cv::Vec3b>(mid, bar.x), palette.at<cv::Vec3b>(0, 0)) << size;
    EXPECT_EQ(out.at<cv::Vec3b>(mid, bar.x + bar.width - 1), palette.at<cv::Vec3b>(0, 255)) << size;
    EXPECT_EQ(out.at<cv::Vec3b>(mid, bar.x - 1), cv::Vec3b(0, 0, 0)) << size;  // framed
  }
  EXPECT_GT(ScoreBarRect({4000, 3000}).width, ScoreBarRect({200, 200}).width);  // grows with the photo
}

}  // namespace
}  // namespace needlescope::report
