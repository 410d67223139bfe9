#include "needlescope/color/color_maps.h"

#include <cmath>

#include <gtest/gtest.h>

#include "needlescope/color/srgb.h"
#include "needlescope/tiling/thread_control.h"

namespace needlescope::color {
namespace {

TEST(Unmixer, InvertsTheModelAndPutsNeutralChangesInShading) {
  const ChromophoreVectors v = LiteratureVectors();
  const Unmixer unmixer(v);
  const double mel = 0.7, hb = 0.25, shading = 0.1;
  double od[3];
  for (int c = 0; c < 3; ++c) od[c] = mel * v.melanin[c] + hb * v.hemoglobin[c] + shading;
  const cv::Vec3d got = unmixer.Unmix(od[0], od[1], od[2]);
  EXPECT_NEAR(got[0], mel, 1e-12);
  EXPECT_NEAR(got[1], hb, 1e-12);
  EXPECT_NEAR(got[2], shading, 1e-12);
  // Halving the light (+0.301 OD on every channel) changes shading only.
  const cv::Vec3d darker = unmixer.Unmix(od[0] + 0.301, od[1] + 0.301, od[2] + 0.301);
  EXPECT_NEAR(darker[0], mel, 1e-12);
  EXPECT_NEAR(darker[1], hb, 1e-12);
  EXPECT_NEAR(darker[2], shading + 0.301, 1e-12);
}

TEST(ChromophoreMaps, ErythemaIndexIs100Log10RedOverGreen) {
  const cv::Mat pixel(1, 1, CV_8UC3, cv::Scalar(90, 120, 200));  // B, G, R
  const ChromophoreMaps maps = ComputeChromophoreMaps(pixel, LiteratureVectors(), TilingOptions{0});
  EXPECT_NEAR(maps.erythema_index.at<float>(0, 0),
              100 * std::log10(SrgbToLinear(200) / SrgbToLinear(120)), 1e-4);
}

TEST(SkinMask, LeavesOutClippedDarkAndNonReddishPixels) {
  cv::Mat image(100, 100, CV_8UC3, cv::Scalar(150, 170, 210));  // skin-like
  image.at<cv::Vec3b>(10, 10) = {250, 250, 255};                 // clipped glint
  image.at<cv::Vec3b>(50, 50) = {20, 25, 40};                    // hair-dark
  image.at<cv::Vec3b>(80, 80) = {200, 150, 120};                 // blue stain: R < G
  const cv::Mat skin = ComputeSkinMask(image, TilingOptions{0});
  EXPECT_EQ(skin.at<std::uint8_t>(10, 10), 0);
  EXPECT_EQ(skin.at<std::uint8_t>(50, 50), 0);
  EXPECT_EQ(skin.at<std::uint8_t>(80, 80), 0);
  EXPECT_EQ(cv::countNonZero(skin), 100 * 100 - 3);
}

// Every one of the 16.7 million colours: the luminance rule (2) compares is linear Y in
// 1/65535 steps rounded as std::lround rounds it (the inline rounding must judge halves the
// same way).
TEST(SkinMask, LuminanceIsLroundOfLinearYForEveryColour) {
  const auto& lut = SrgbToLinearTable();
  for (int r = 0; r < 256; ++r) {
    for (int g = 0; g < 256; ++g) {
      for (int b = 0; b < 256; ++b) {
        const double y = 0.212671 * lut[size_t(r)] + 0.715160 * lut[size_t(g)] + 0.072169 * lut[size_t(b)];
        ASSERT_EQ(SkinMaskLuminance(cv::Vec3b(uchar(b), uchar(g), uchar(r))), int(std::lround(y * 65535.0)))
            << r << " " << g << " " << b;
      }
    }
  }
}

TEST(ColorMaps, IdenticalForAnyTileSizeAndThreadCount) {
  cv::Mat image(300, 410, CV_8UC3);
  cv::RNG(5).fill(image, cv::RNG::UNIFORM, cv::Scalar(60, 80, 120), cv::Scalar(160, 170, 230));
  const cv::Mat skin = ComputeSkinMask(image, TilingOptions{0});
  const ChromophoreMaps whole = ComputeChromophoreMaps(image, LiteratureVectors(), TilingOptions{0});
  for (int threads : {1, 2}) {
    const ThreadLimit limit(threads);
    for (int tile : {16, 64, 200}) {
      EXPECT_EQ(cv::norm(ComputeSkinMask(image, TilingOptions{tile}), skin, cv::NORM_INF), 0) << tile;
      const ChromophoreMaps tiled = ComputeChromophoreMaps(image, LiteratureVectors(), TilingOptions{tile});
      EXPECT_EQ(cv::norm(tiled.hemoglobin, whole.hemoglobin, cv::NORM_INF), 0) << tile;
      EXPECT_EQ(cv::norm(tiled.melanin, whole.melanin, cv::NORM_INF), 0) << tile;
    }
  }
}

}  // namespace
}  // namespace needlescope::color
