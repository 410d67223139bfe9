#include "needlescope/synth/visibility.h"

#include <cmath>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace needlescope::synth {
namespace {

constexpr int kSize = 256;
constexpr double kGrey = 128;

// 8-bit grey with independent Gaussian noise of `sd` codes per channel, plus `clutter`.
cv::Mat NoisyGrey(double sd, std::uint64_t seed, const cv::Mat& clutter = cv::Mat()) {
  cv::RNG rng(seed);
  cv::Mat f(kSize, kSize, CV_32FC3, cv::Scalar::all(kGrey)), noise(f.size(), CV_32FC3);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sd);
  f += noise;
  if (!clutter.empty()) f += clutter;
  cv::Mat out;
  f.convertTo(out, CV_8UC3);
  return out;
}

// Gaussian-correlated clutter of `scale_px` and `sd` codes (measured in green).
cv::Mat Clutter(std::uint64_t seed, double scale_px, double sd_codes) {
  cv::RNG rng(seed);
  cv::Mat clutter(kSize, kSize, CV_32FC3);
  rng.fill(clutter, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(clutter, clutter, cv::Size(), scale_px);
  cv::Scalar mean, sd;
  cv::meanStdDev(clutter, mean, sd);
  return clutter * (sd_codes / sd[1]);
}

// A lens-free spot exp(-d^2 / r^2) of `peak` codes in green only.
cv::Mat GreenSpot(const TruthPuncture& p, double peak) {
  cv::Mat s = cv::Mat::zeros(kSize, kSize, CV_32FC3);
  for (int y = 0; y < kSize; ++y) {
    for (int x = 0; x < kSize; ++x) {
      const double d2 = (x - p.x) * (x - p.x) + (y - p.y) * (y - p.y);
      s.at<cv::Vec3f>(y, x)[1] = float(peak * std::exp(-d2 / (p.radius_px * p.radius_px)));
    }
  }
  return s;
}

TruthPuncture Centre() {
  TruthPuncture p;
  p.x = 128.3;
  p.y = 127.6;
  p.radius_px = 2.0;
  p.amplitude = 1.0;
  return p;
}

// Sum of s^2 of a spot exp(-d^2 / r^2), less the mean level over the 32 x 32 window, which
// the observer does not use.
double EnergyWithoutMean(double peak, double r) {
  const double sum_sq = peak * peak * CV_PI * r * r / 2, sum = peak * CV_PI * r * r;
  return sum_sq - sum * sum / (32.0 * 32.0);
}

double DPrimeOf(const cv::Mat& background, const std::vector<cv::Mat>& signals, const TruthPuncture& p) {
  ObserverInputs in;
  in.background_photo = background;
  in.delivered_signals = signals;
  return IdealObserverDPrime(in, {p})[0];
}

// In white noise the prewhitened matched filter is the plain one: d' = |s| / sd, where the
// variance is the noise's, the 8-bit rounding's (1/12) and the floor's (1/12 again).
TEST(IdealObserver, WhiteNoiseGivesTheMatchedFilterSnr) {
  const TruthPuncture p = Centre();
  for (double sd : {2.0, 4.0, 8.0}) {
    const cv::Mat spot = GreenSpot(p, 6.0);
    const double expected = std::sqrt(EnergyWithoutMean(6.0, p.radius_px) / (sd * sd + 1.0 / 6));
    const double d = DPrimeOf(NoisyGrey(sd, 7), {spot, spot}, p);
    EXPECT_NEAR(d, expected, 0.1 * expected) << "sd " << sd;
  }
}

// JPEG's coding error is noise the observer faces on top of the photo's: white error of
// variance v lowers d' by sqrt(s^2 / (s^2 + v)).
TEST(IdealObserver, CodingErrorAddsToTheNoise) {
  const TruthPuncture p = Centre();
  const cv::Mat spot = GreenSpot(p, 6.0);
  ObserverInputs in;
  in.background_photo = NoisyGrey(3.0, 7);
  in.delivered_signals = {spot, spot};
  const double photo = IdealObserverDPrime(in, {p})[0];
  cv::RNG rng(11);
  in.coding_error = cv::Mat(kSize, kSize, CV_32FC3);
  rng.fill(in.coding_error, cv::RNG::NORMAL, 0.0, 3.0);
  const double file = IdealObserverDPrime(in, {p})[0];
  const double expected = photo * std::sqrt((9 + 1.0 / 6) / (9 + 9 + 1.0 / 6));
  EXPECT_NEAR(file, expected, 0.08 * expected);
}

// Smooth clutter (mottling, uneven light) has its power far below a small spot's
// frequencies: whitening takes most of it out (some leaks through the window into the
// lowest rings), where a plain matched filter would lose about 5 x to it (12 codes of
// clutter, 2 of noise).
TEST(IdealObserver, SmoothClutterIsWhitenedAway) {
  const TruthPuncture p = Centre();
  const cv::Mat spot = GreenSpot(p, 6.0);
  const cv::Mat clutter = Clutter(/*seed=*/3, /*scale_px=*/12.0, /*sd=*/12.0);  // noise: 2
  const double white = DPrimeOf(NoisyGrey(2.0, 7), {spot, spot}, p);
  const double cluttered = DPrimeOf(NoisyGrey(2.0, 7, clutter), {spot, spot}, p);
  EXPECT_GT(cluttered, 0.6 * white);
  EXPECT_LT(cluttered, 1.05 * white);
}

// Clutter at the spot's own scale (pores, texture) cannot be whitened away: it lowers d'.
TEST(IdealObserver, ClutterAtTheSpotsScaleLowersDPrime) {
  const TruthPuncture p = Centre();
  const cv::Mat spot = GreenSpot(p, 6.0);
  const cv::Mat clutter = Clutter(/*seed=*/4, /*scale_px=*/1.5, /*sd=*/6.0);
  const double white = DPrimeOf(NoisyGrey(2.0, 7), {spot, spot}, p);
  const double cluttered = DPrimeOf(NoisyGrey(2.0, 7, clutter), {spot, spot}, p);
  EXPECT_LT(cluttered, 0.5 * white);
}

// The signal realisations carry their own noise (JPEG's quantisation flips); their spread is
// subtracted, so pure noise scores near 0 (its raw energy here would be d' ~ 10) and a spot
// in noise near its noise-free d'.
TEST(IdealObserver, NoiseInTheSignalRealisationsIsNotCountedAsSignal) {
  const TruthPuncture p = Centre();
  const cv::Mat spot = GreenSpot(p, 6.0);
  const cv::Mat background = NoisyGrey(3.0, 7);
  const double clean = DPrimeOf(background, {spot, spot}, p);
  std::vector<cv::Mat> noisy, empty;
  cv::RNG rng(9);
  for (int k = 0; k < 8; ++k) {
    cv::Mat n(kSize, kSize, CV_32FC3);
    rng.fill(n, cv::RNG::NORMAL, 0.0, 1.5);
    empty.push_back(n.clone());
    noisy.push_back(spot + n);
  }
  EXPECT_LT(DPrimeOf(background, empty, p), 2.0);
  EXPECT_NEAR(DPrimeOf(background, noisy, p), clean, 0.15 * clean);
}

// Two overlapping spots share the signal between them by their own profiles: each is judged
// on its own signal, as if alone, not on the sum of both.
TEST(IdealObserver, OverlappingPuncturesShareTheSignal) {
  TruthPuncture a = Centre(), b = Centre();
  b.x += 3.0;
  const cv::Mat both = GreenSpot(a, 6.0) + GreenSpot(b, 6.0);
  ObserverInputs in;
  in.background_photo = NoisyGrey(3.0, 7);
  in.delivered_signals = {both, both};
  const std::vector<double> d = IdealObserverDPrime(in, {a, b});
  const double alone = DPrimeOf(in.background_photo, {GreenSpot(a, 6.0), GreenSpot(a, 6.0)}, a);
  EXPECT_NEAR(d[0], alone, 0.01 * alone);
  EXPECT_NEAR(d[1], alone, 0.05 * alone);  // b sits 0.3 px nearer its window's edge
  const double summed = DPrimeOf(in.background_photo, {both, both}, a);
  EXPECT_GT(summed, 1.3 * alone);
}

}  // namespace
}  // namespace needlescope::synth
