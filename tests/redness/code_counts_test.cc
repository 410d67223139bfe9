#include "needlescope/redness/code_counts.h"

#include <algorithm>
#include <cmath>

#include <gtest/gtest.h>

#include "needlescope/color/srgb.h"
#include "needlescope/tiling/thread_control.h"

namespace needlescope::redness {
namespace {

// The counts are what a pixel-by-pixel pass sees, for any thread count; the percentiles of
// counted values are the nearest-rank percentiles of the values themselves.
TEST(CountCodes, CountsWhatAPixelScanCountsAndGivesTheSamePercentiles) {
  cv::RNG rng(9);
  cv::Mat bgr(301, 257, CV_8UC3), mask0(bgr.size(), CV_8U), mask1(bgr.size(), CV_8U);
  rng.fill(bgr, cv::RNG::NORMAL, 140, 30);
  rng.fill(mask0, cv::RNG::UNIFORM, 0, 2);
  rng.fill(mask1, cv::RNG::UNIFORM, 0, 3);
  mask0 *= 255;
  mask1 = (mask1 == 0);
  std::array<std::array<long long, 256>, 3> expected0{};
  std::vector<float> ei;  // the erythema index of every pixel of region 1, as redness collected it
  const auto& od = color::OpticalDensityTable();
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b p = bgr.at<cv::Vec3b>(y, x);
      if (mask0.at<uchar>(y, x)) ++expected0[0][p[2]], ++expected0[1][p[1]], ++expected0[2][p[0]];
      if (mask1.at<uchar>(y, x)) ei.push_back(float(100.0 * (od[p[1]] - od[p[2]])));
    }
  }
  std::vector<float> sorted = ei;
  std::sort(sorted.begin(), sorted.end());
  for (const int threads : {1, 2, 4}) {
    ThreadLimit limit(threads);
    const PhotoCodeCounts counts = CountCodes(bgr, mask0, mask1, true);
    EXPECT_EQ(counts.region[0].rgb, expected0);
    EXPECT_EQ(counts.region[0].pixels, cv::countNonZero(mask0));
    EXPECT_EQ(counts.region[1].pixels, static_cast<long long>(ei.size()));
    std::vector<std::pair<float, long long>> counted;
    for (size_t red = 0; red < 256; ++red)
      for (size_t green = 0; green < 256; ++green)
        if (const long long n = counts.red_green[red << 8 | green]) counted.push_back({float(100.0 * (od[green] - od[red])), n});
    for (const double q : {0.0, 10.0, 50.0, 90.0, 100.0}) {
      const size_t rank = std::min(sorted.size() - 1, size_t(std::floor(q / 100.0 * double(sorted.size() - 1) + 0.5)));
      EXPECT_EQ(PercentileOfCounted(counted, q), sorted[rank]) << q;
    }
  }
}

}  // namespace
}  // namespace needlescope::redness
