#include "needlescope/qc/photo_quality.h"

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdio>
#include <vector>

#include <opencv2/img_hash.hpp>
#include <opencv2/imgproc.hpp>


namespace needlescope::qc {
namespace {

double MeanSquaredGradient(const cv::Mat& grey) {
  cv::Mat gx, gy;
  cv::Sobel(grey, gx, CV_32F, 1, 0, 3, 1.0 / 8);  // /8: the Sobel kernel's weight, so a unit slope reads 1
  cv::Sobel(grey, gy, CV_32F, 0, 1, 3, 1.0 / 8);
  return cv::mean(gx.mul(gx) + gy.mul(gy))[0];
}

double Sharpness(const cv::Mat& bgr) {
  cv::Mat green, level1, level2;
  cv::extractChannel(bgr, green, 1);
  green.convertTo(green, CV_32F);
  cv::pyrDown(green, level1);
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

}  // namespace

PhotoQuality MeasurePhotoQuality(const cv::Mat& bgr) {
  CV_Assert(bgr.type() == CV_8UC3 && !bgr.empty());
  PhotoQuality q;
  q.sharpness = Sharpness(bgr);

  std::vector<double> max_histogram(256, 0.0);
  double clipped = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const cv::Vec3b* row = bgr.ptr<cv::Vec3b>(y);
    for (int x = 0; x < bgr.cols; ++x) {
      const int m = std::max({row[x][0], row[x][1], row[x][2]});
      max_histogram[m] += 1;
      clipped += m == 255;
    }
  }
  const double n = static_cast<double>(bgr.total());
  q.p99_max_channel = HistogramPercentile(max_histogram, n, 0.99);
  double dark = 0;
  for (int code = 0; code <= 10; ++code) dark += max_histogram[code];
  q.dark_fraction = dark / n;
  q.clipped_fraction = clipped / n;

  // Colour on a reduced copy (area averaging; a median of a few hundred thousand pixels is
  // as good as of millions).
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
  q.log_red_green = Median(red_green);
  q.log_blue_green = Median(blue_green);

  cv::Mat hash;
  cv::img_hash::pHash(bgr, hash);
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
