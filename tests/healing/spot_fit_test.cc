#include "needlescope/healing/spot_fit.h"

#include <algorithm>
#include <cmath>
#include <random>

#include <gtest/gtest.h>

namespace needlescope::healing {
namespace {

// A photo whose green optical density is a tilted background plus Gaussian spots
// exp(-d^2 / r^2) of known peaks, written through the sRGB curve to 8 bits.
cv::Mat PhotoOfSpots(cv::Size size, const std::vector<Spot>& spots, const std::vector<double>& peaks) {
  cv::Mat out(size, CV_8UC3);
  for (int y = 0; y < size.height; ++y) {
    for (int x = 0; x < size.width; ++x) {
      double od = 0.35 + 0.002 * x - 0.001 * y;
      for (size_t k = 0; k < spots.size(); ++k) {
        const double d2 = std::pow(x - spots[k].x, 2) + std::pow(y - spots[k].y, 2);
        od += peaks[k] * std::exp(-d2 / (spots[k].radius_px * spots[k].radius_px));
      }
      const double linear = std::pow(10.0, -od);
      const double v = linear <= 0.0031308 ? 12.92 * linear : 1.055 * std::pow(linear, 1 / 2.4) - 0.055;
      const auto code = cv::saturate_cast<uchar>(255 * v);
      out.at<cv::Vec3b>(y, x) = {code, code, code};
    }
  }
  return out;
}

TEST(SpotFitter, RecoversPeaksOfCrowdedSpotsOnASlopedBackground) {
  // A faint spot with two strong neighbours 5-6 px away: their tails lie on its ring, where
  // a ring-median background would sit too high and the faint spot would read too low.
  const std::vector<Spot> spots = {{40.3, 30.6, 1.8}, {45.5, 31.0, 2.2}, {37.0, 35.2, 2.0}, {12, 12, 1.5}};
  const std::vector<double> peaks = {0.08, 0.6, 0.5, 0.3};
  const SpotFitter fitter(PhotoOfSpots({64, 48}, spots, peaks), spots);
  for (size_t k = 0; k < spots.size(); ++k) EXPECT_NEAR(fitter.Amplitude(k), peaks[k], 0.01) << k;
}

TEST(SpotFitter, AbsentSpotReadsNearZero) {
  const std::vector<Spot> spots = {{30, 25, 2.0}, {34, 25, 2.0}};
  const SpotFitter fitter(PhotoOfSpots({64, 48}, {spots[1]}, {0.5}), spots);
  EXPECT_NEAR(fitter.Amplitude(0), 0.0, 0.01);
  EXPECT_NEAR(fitter.Amplitude(1), 0.5, 0.01);
}

TEST(SpotFitter, WindowClippedAtTheBorder) {
  const std::vector<Spot> spots = {{1.5, 2.0, 1.5}, {62.0, 46.5, 2.0}};
  const std::vector<double> peaks = {0.4, 0.25};
  const SpotFitter fitter(PhotoOfSpots({64, 48}, spots, peaks), spots);
  EXPECT_NEAR(fitter.Amplitude(0), peaks[0], 0.02);
  EXPECT_NEAR(fitter.Amplitude(1), peaks[1], 0.02);
}

TEST(SpotFitter, IndependentOfTheOrderOfSpots) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> at(4, 92), radius(1, 3), peak(0.05, 0.8);
  std::vector<Spot> spots;
  std::vector<double> peaks;
  for (int k = 0; k < 60; ++k) {
    spots.push_back({at(rng), at(rng) * 0.7, radius(rng)});
    peaks.push_back(peak(rng));
  }
  const cv::Mat photo = PhotoOfSpots({96, 72}, spots, peaks);
  std::vector<size_t> order(spots.size());
  for (size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::shuffle(order.begin(), order.end(), rng);
  std::vector<Spot> shuffled;
  for (size_t k : order) shuffled.push_back(spots[k]);
  const SpotFitter a(photo, spots), b(photo, shuffled);
  for (size_t k = 0; k < order.size(); ++k)
    EXPECT_NEAR(a.Amplitude(order[k]), b.Amplitude(k), 1e-9) << k;
}

}  // namespace
}  // namespace needlescope::healing
