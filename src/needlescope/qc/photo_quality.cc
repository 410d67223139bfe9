#include "needlescope/qc/photo_quality.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <cmath>
#include <cstdio>
#include <vector>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>
#include <tbb/blocked_range.h>
#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_invoke.h>

#include "needlescope/tiling/cancellation.h"


namespace needlescope::qc {
namespace {

// The mean of the squared gradient (Sobel, scaled so that a unit slope reads 1); one
// derivative plane at a time, no product planes.
double MeanSquaredGradient(const cv::Mat& grey) {
  double sum = 0;
  for (const bool across : {true, false}) {
    cv::Mat derivative;
    cv::Sobel(grey, derivative, CV_32F, across ? 1 : 0, across ? 0 : 1, 3, 1.0 / 8);  // /8: the kernel's weight
    sum += cv::norm(derivative, cv::NORM_L2SQR);
  }
  return sum / double(grey.total());
}

}  // namespace

cv::Mat GreenPyramidLevel1(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 && !bgr.empty());
  cv::Mat level1((bgr.rows + 1) / 2, (bgr.cols + 1) / 2, CV_32F);
  constexpr int kStripRows = 128;  // output rows per strip
  const int strips = (level1.rows + kStripRows - 1) / kStripRows;
  tbb::parallel_for(0, strips, [&](int strip) {
    const int out0 = strip * kStripRows, out1 = std::min(level1.rows, out0 + kStripRows);
    // Output row i reads input rows 2i - 2 ... 2i + 2; a strip from an even row keeps
    // output row i at its row i - in0 / 2. Only where the strip ends at the photo's edge
    // does its border meet pyrDown's reflection, and there it is the photo's own.
    const int in0 = std::max(0, 2 * out0 - 2), in1 = std::min(bgr.rows, 2 * out1 + 1);
    cv::Mat green, green_float, reduced;
    cv::extractChannel(bgr.rowRange(in0, in1), green, 1);
    green.convertTo(green_float, CV_32F);
    cv::pyrDown(green_float, reduced, cv::Size(level1.cols, (in1 - in0 + 1) / 2));
    reduced.rowRange(out0 - in0 / 2, out1 - in0 / 2).copyTo(level1.rowRange(out0, out1));
  });
  ThrowIfCancelled();
  return level1;
}

namespace {

// Detail at the first pyramid level over detail at the second. Strip by strip: the photo's
// green channel as floats, whole, was 96 MB at 24 MP and, with the derivative and product
// planes, set the analysis's peak memory while photo quality ran.
double Sharpness(const cv::Mat& bgr) {
  const cv::Mat level1 = GreenPyramidLevel1(bgr);
  cv::Mat level2;
  cv::pyrDown(level1, level2);
  const double coarse = MeanSquaredGradient(level2);
  return coarse > 0 ? MeanSquaredGradient(level1) / coarse : 0.0;
}

// Percentile of a 0-255 histogram: the smallest code with at least `q` of the pixels at or below it.
double HistogramPercentile(const std::vector<double>& histogram, double total, double q) {
  double seen = 0;
  for (int code = 0; code < 256; ++code) {
    seen += histogram[code];
    if (seen >= q * total) return code;
  }
  return 255;
}

double Median(std::vector<float>& values) {
  std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
  return values[values.size() / 2];
}

// The largest channel's histogram and how many pixels have a channel at 255, by bands of
// rows in parallel (integer counts: the same for any thread count).
std::vector<double> MaxChannelHistogram(const cv::Mat& bgr, double* clipped) {
  tbb::enumerable_thread_specific<std::array<long long, 257>> per_thread([] { return std::array<long long, 257>{}; });
  tbb::parallel_for(tbb::blocked_range<int>(0, bgr.rows, 64), [&](const tbb::blocked_range<int>& rows) {
    std::array<long long, 257>& counts = per_thread.local();  // [256]: clipped
    for (int y = rows.begin(); y < rows.end(); ++y) {
      const cv::Vec3b* row = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < bgr.cols; ++x) {
        const int m = std::max({row[x][0], row[x][1], row[x][2]});
        ++counts[size_t(m)];
        counts[256] += m == 255;
      }
    }
  });
  ThrowIfCancelled();
  std::array<long long, 257> total{};
  for (const auto& counts : per_thread)
    for (size_t i = 0; i < total.size(); ++i) total[i] += counts[i];
  *clipped = double(total[256]);
  return std::vector<double>(total.begin(), total.begin() + 256);
}

// Median log(red / green) and log(blue / green) on a reduced copy (area averaging; a median
// of a few hundred thousand pixels is as good as of millions).
void MeasureColourCast(const cv::Mat& bgr, PhotoQuality* q) {
  const double scale = std::min(1.0, 512.0 / std::max(bgr.cols, bgr.rows));
  cv::Mat small;
  cv::resize(bgr, small, cv::Size(), scale, scale, cv::INTER_AREA);
  std::vector<float> red_green, blue_green;
  red_green.reserve(small.total());
  blue_green.reserve(small.total());
  for (int y = 0; y < small.rows; ++y) {
    const cv::Vec3b* row = small.ptr<cv::Vec3b>(y);
    for (int x = 0; x < small.cols; ++x) {
      const double green = row[x][1] + 1.0;  // + 1: a black pixel is neutral, not infinite
      red_green.push_back(static_cast<float>(std::log((row[x][2] + 1.0) / green)));
      blue_green.push_back(static_cast<float>(std::log((row[x][0] + 1.0) / green)));
    }
  }
  q->log_red_green = Median(red_green);
  q->log_blue_green = Median(blue_green);
}

}  // namespace

PhotoQuality MeasurePhotoQuality(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 && !bgr.empty());
  PhotoQuality q;
  // Four measurements of their own, at once: each is mostly one thread's work (the photo's
  // pyramid, a histogram, a reduced copy, a hash), and the analysis waits for all of them.
  std::vector<double> max_histogram;
  double clipped = 0;
  cv::Mat hash;
  tbb::parallel_invoke([&] { q.sharpness = Sharpness(bgr); },
                       [&] { max_histogram = MaxChannelHistogram(bgr, &clipped); },
                       [&] { MeasureColourCast(bgr, &q); },
                       [&] { cv::img_hash::pHash(bgr, hash); });
  ThrowIfCancelled();
  const double n = static_cast<double>(bgr.total());
  q.p99_max_channel = HistogramPercentile(max_histogram, n, 0.99);
  double dark = 0;
  for (int code = 0; code <= 10; ++code) dark += max_histogram[code];
  q.dark_fraction = dark / n;
  q.clipped_fraction = clipped / n;
  for (int i = 0; i < 8; ++i) q.perceptual_hash = (q.perceptual_hash << 8) | hash.at<std::uint8_t>(0, i);
  return q;
}

int HashDistance(std::uint64_t a, std::uint64_t b) { return static_cast<int>(std::bitset<64>(a ^ b).count()); }

std::string HashHex(std::uint64_t hash) {
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
  return text;
}

bool ParseHashHex(const std::string& text, std::uint64_t* hash) {
  if (text.size() != 16 || text.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
  *hash = std::stoull(text, nullptr, 16);
  return true;
}

}  // namespace needlescope::qc
