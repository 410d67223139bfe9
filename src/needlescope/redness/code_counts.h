#pragma once

// How many pixels of each 8-bit code each channel holds within two regions of a photo, and
// within the second how many of each (red, green) pair, in one pass. Every redness statistic
// linear in optical density or linear RGB follows from the channel counts (the means of
// melanin, hemoglobin and erythema index, the white balance); a pixel's erythema index is a
// function of its (red, green) pair alone, so its percentiles follow exactly from the pairs.
// Counting replaced a pass over the photo per statistic (the redness stage walked the
// 24 MP photo seven times) and the collected erythema-index values.

#include <array>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::redness {

struct ChannelCodeCounts {
  std::array<std::array<long long, 256>, 3> rgb{};  // [0 red, 1 green, 2 blue][code]
  long long pixels = 0;
  // The mean of table[code] over the region's pixels, of one channel (0 red, 1 green, 2 blue).
  template <class Table>
  double Mean(const Table& table, int channel) const {
    if (pixels == 0) return 0.0;
    double sum = 0;
    for (size_t code = 0; code < 256; ++code) sum += double(rgb[size_t(channel)][code]) * double(table[code]);
    return sum / double(pixels);
  }
};

struct PhotoCodeCounts {
  ChannelCodeCounts region[2];
  std::vector<long long> red_green;  // region 1's pixels per red * 256 + green (when asked)
};

// Counts under `mask0` and `mask1` (CV_8U, the photo's size; empty selects nothing).
// Integer sums: the same for any thread count.
PhotoCodeCounts CountCodes(const cv::Mat& bgr, const cv::Mat& mask0, const cv::Mat& mask1, bool red_green_of_1);

// The value at nearest rank q (percent) of a multiset given as values with their counts.
double PercentileOfCounted(std::vector<std::pair<float, long long>> counted, double q);

}  // namespace needlescope::redness
