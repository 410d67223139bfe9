// The engine's central promise: identical output for any thread count and tile size, and
// identical to processing the whole image at once.

#include "needlescope/tiling/tiled_run.h"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "needlescope/tiling/thread_control.h"

namespace needlescope {
namespace {

struct Peak {
  double x = 0, y = 0, value = 0;
  bool operator==(const Peak& o) const { return x == o.x && y == o.y && value == o.value; }
};

// A simple local-maximum detector: Gaussian blur (sigma 1.5, kernel radius 6), maxima over
// a 5x5 window above a threshold, sub-pixel centre by a parabola through 3 samples per axis.
// Support: 6 (blur) + 2 (window) + 1 (refinement) = 9 px.
constexpr int kDetectorSupportPx = 9;

// Works on a copy of `region`: OpenCV's filters on a ROI would read the pixels around it,
// which would hide a halo that is too narrow.
std::vector<Peak> DetectPeaks(const cv::Mat& image, cv::Rect region) {
  cv::Mat blurred, dilated;
  cv::GaussianBlur(image(region).clone(), blurred, cv::Size(13, 13), /*sigmaX=*/1.5);
  cv::dilate(blurred, dilated, cv::Mat::ones(5, 5, CV_8U));
  std::vector<Peak> peaks;
  for (int y = 1; y < blurred.rows - 1; ++y) {
    for (int x = 1; x < blurred.cols - 1; ++x) {
      const float c = blurred.at<float>(y, x);
      if (c < 0.55f || c != dilated.at<float>(y, x)) continue;
      const float l = blurred.at<float>(y, x - 1), r = blurred.at<float>(y, x + 1);
      const float u = blurred.at<float>(y - 1, x), d = blurred.at<float>(y + 1, x);
      const double dx = 0.5 * (l - r) / (l - 2.0 * c + r);
      const double dy = 0.5 * (u - d) / (u - 2.0 * c + d);
      peaks.push_back({region.x + x + dx, region.y + y + dy, c});
    }
  }
  return peaks;
}

cv::Mat RandomImage(cv::Size size, std::uint64_t seed) {
  cv::Mat image(size, CV_32F);
  cv::RNG rng(seed);
  rng.fill(image, cv::RNG::UNIFORM, 0.0, 1.0);
  return image;
}

std::vector<Peak> TiledPeaks(const cv::Mat& image, int tile_size, int halo) {
  const TileGrid grid = MakeTileGrid(image.size(), TilingOptions{tile_size}, halo);
  return CollectTileFeatures<Peak>(
      grid, [&](const Tile& tile) { return DetectPeaks(image, tile.padded); }, ByRowThenColumn());
}

struct Case {
  int threads;
  int tile_size;
};

class TiledInvariance : public ::testing::TestWithParam<Case> {};

TEST_P(TiledInvariance, PeaksIdenticalToWholeImage) {
  for (std::uint64_t seed : {1, 2, 3}) {
    const cv::Mat image = RandomImage({701 + 37 * int(seed), 530}, seed);
    std::vector<Peak> whole = DetectPeaks(image, cv::Rect(cv::Point(0, 0), image.size()));
    std::sort(whole.begin(), whole.end(), ByRowThenColumn());
    ASSERT_GT(whole.size(), 100u);

    const ThreadLimit limit(GetParam().threads);
    const std::vector<Peak> tiled = TiledPeaks(image, GetParam().tile_size, kDetectorSupportPx + 1);
    EXPECT_TRUE(tiled == whole) << "seed " << seed << ": " << tiled.size() << " vs "
                                << whole.size() << " peaks";
  }
}

TEST_P(TiledInvariance, MapIdenticalToWholeImage) {
  const cv::Mat image = RandomImage({640, 480}, 7);
  cv::Mat whole;
  cv::GaussianBlur(image, whole, cv::Size(13, 13), 1.5);

  const ThreadLimit limit(GetParam().threads);
  const TileGrid grid = MakeTileGrid(image.size(), TilingOptions{GetParam().tile_size}, 6);
  cv::Mat tiled(image.size(), CV_32F);
  ForEachTile(grid, [&](const Tile& tile) {
    cv::Mat blurred;
    cv::GaussianBlur(image(tile.padded).clone(), blurred, cv::Size(13, 13), 1.5);
    blurred(tile.core - tile.padded.tl()).copyTo(tiled(tile.core));
  });
  EXPECT_EQ(cv::norm(tiled, whole, cv::NORM_INF), 0.0);
}

INSTANTIATE_TEST_SUITE_P(
    ThreadsAndTiles, TiledInvariance,
    ::testing::Values(Case{1, 64}, Case{1, 200}, Case{1, 512}, Case{1, 0}, Case{2, 64},
                      Case{2, 200}, Case{2, 512}, Case{2, 0}, Case{4, 64}, Case{4, 200},
                      Case{4, 512}, Case{4, 0}),
    [](const auto& info) {
      return "threads" + std::to_string(info.param.threads) + "_tile" +
             (info.param.tile_size ? std::to_string(info.param.tile_size) : "Whole");
    });

// The invariance is not vacuous: with a halo narrower than the detector's support, tile
// borders change the result.
TEST(TiledRun, TooNarrowHaloChangesResult) {
  const cv::Mat image = RandomImage({701, 530}, 1);
  EXPECT_FALSE(TiledPeaks(image, 64, /*halo=*/2) == TiledPeaks(image, 0, 0));
}

TEST(TiledRun, FeatureSeenByTwoTilesIsKeptOnce) {
  // One peak exactly on a tile boundary column; both neighbouring tiles see it.
  cv::Mat image(128, 128, CV_32F, cv::Scalar(0));
  image.at<float>(40, 64) = 50.0f;
  const std::vector<Peak> peaks = TiledPeaks(image, 64, kDetectorSupportPx + 1);
  ASSERT_EQ(peaks.size(), 1u);
  EXPECT_DOUBLE_EQ(peaks[0].x, 64.0);
  EXPECT_DOUBLE_EQ(peaks[0].y, 40.0);
}

}  // namespace
}  // namespace needlescope
