#include "needlescope/synth/visibility.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace needlescope::synth {
namespace {

constexpr int kBlock = 32;                 // px, the analysis window (holds a 4-px spot's blur)
constexpr int kStride = kBlock / 2;        // blocks overlap by half
constexpr double kNoiseReachPx = 40;       // blocks whose centre is this near a puncture
constexpr int kRings = 24;                 // |f| in bins, 0 .. ceil(16 sqrt 2)
constexpr int kPairs = 6;                  // YY, CbCb, CrCr, YCb, YCr, CbCr
constexpr int kPairA[kPairs] = {0, 1, 2, 0, 0, 1};
constexpr int kPairB[kPairs] = {0, 1, 2, 1, 2, 2};

using RingSpectra = std::array<double, kRings * kPairs>;

// JPEG's colour transform (ITU-T T.871) without its offsets, from B, G, R.
const cv::Matx33f kBgrToYCbCr(0.114f, 0.587f, 0.299f,             // Y
                              0.5f, -0.331264f, -0.168736f,       // Cb
                              -0.081312f, -0.418688f, 0.5f);      // Cr

cv::Mat ToYCbCr(const cv::Mat& bgr) {
  cv::Mat f, out;
  bgr.convertTo(f, CV_32FC3);
  cv::transform(f, out, kBgrToYCbCr);
  return out;
}

struct Rings {
  int index[kBlock * kBlock];
  int count[kRings] = {};
  Rings() {
    for (int v = 0; v < kBlock; ++v) {
      for (int u = 0; u < kBlock; ++u) {
        const int fu = u < kBlock / 2 ? u : u - kBlock, fv = v < kBlock / 2 ? v : v - kBlock;
        const int k = int(std::lround(std::hypot(fu, fv)));
        index[v * kBlock + u] = k;
        ++count[k];
      }
    }
  }
};
const Rings& RingTable() {
  static const Rings rings;
  return rings;
}

// Spectra of the three channels of a 32 x 32 window (CV_32FC2 each).
std::array<cv::Mat, 3> ChannelSpectra(const cv::Mat& window_ycbcr) {
  std::vector<cv::Mat> ch;
  cv::split(window_ycbcr, ch);
  std::array<cv::Mat, 3> out;
  for (int c = 0; c < 3; ++c) cv::dft(ch[c], out[c], cv::DFT_COMPLEX_OUTPUT);
  return out;
}

// Ring-averaged co-spectra of one background block: mean removed, periodic Hann window,
// normalised so that white noise of variance s^2 gives s^2 at every frequency.
RingSpectra BlockSpectra(const cv::Mat& block_ycbcr, const cv::Mat& hann, double hann_power) {
  cv::Mat w = block_ycbcr.clone();
  const cv::Scalar mean = cv::mean(w);
  w -= mean;
  std::vector<cv::Mat> ch;
  cv::split(w, ch);
  for (cv::Mat& c : ch) c = c.mul(hann);
  cv::merge(ch, w);
  const std::array<cv::Mat, 3> spectra = ChannelSpectra(w);
  const Rings& rings = RingTable();
  RingSpectra sums{};
  for (int i = 0; i < kBlock * kBlock; ++i) {
    const int k = rings.index[i];
    const cv::Vec2f* x[3] = {spectra[0].ptr<cv::Vec2f>() + i, spectra[1].ptr<cv::Vec2f>() + i,
                             spectra[2].ptr<cv::Vec2f>() + i};
    for (int p = 0; p < kPairs; ++p) {
      const cv::Vec2f a = *x[kPairA[p]], b = *x[kPairB[p]];
      sums[k * kPairs + p] += double(a[0]) * b[0] + double(a[1]) * b[1];  // Re(a conj(b))
    }
  }
  for (int k = 0; k < kRings; ++k) {
    for (int p = 0; p < kPairs; ++p) {
      if (rings.count[k]) sums[k * kPairs + p] /= rings.count[k] * hann_power;
    }
  }
  return sums;
}

double ProfileAt(const TruthPuncture& p, double blur_sigma_px, double x, double y) {
  const double s2 = p.radius_px * p.radius_px + 2 * blur_sigma_px * blur_sigma_px;
  const double d2 = (x - p.x) * (x - p.x) + (y - p.y) * (y - p.y);
  return p.amplitude * p.radius_px * p.radius_px / s2 * std::exp(-d2 / s2);
}

}  // namespace

std::vector<double> IdealObserverDPrime(const ObserverInputs& in,
                                        const std::vector<TruthPuncture>& punctures) {
  CV_Assert(in.background_photo.type() == CV_8UC3);
  CV_Assert(in.coding_error.empty() || in.coding_error.size() == in.background_photo.size());
  const int w = in.background_photo.cols, h = in.background_photo.rows;
  CV_Assert(in.delivered_signals.size() >= 2);
  std::vector<cv::Mat> signals;
  for (const cv::Mat& d : in.delivered_signals) signals.push_back(ToYCbCr(d));
  const double k_signals = double(signals.size());
  const cv::Mat background = ToYCbCr(in.background_photo);
  const cv::Mat coding_error = in.coding_error.empty() ? cv::Mat() : ToYCbCr(in.coding_error);

  // Background co-spectra on a grid of half-overlapping blocks.
  cv::Mat hann1(1, kBlock, CV_32F);
  for (int n = 0; n < kBlock; ++n) hann1.at<float>(n) = float(0.5 - 0.5 * std::cos(2 * CV_PI * n / kBlock));
  const cv::Mat hann = hann1.t() * hann1;
  const double hann_power = cv::sum(hann.mul(hann))[0];
  const int blocks_x = std::max(1, (w - kBlock) / kStride + 1), blocks_y = std::max(1, (h - kBlock) / kStride + 1);
  std::vector<RingSpectra> grid(size_t(blocks_x) * blocks_y);
  for (int by = 0; by < blocks_y; ++by) {
    for (int bx = 0; bx < blocks_x; ++bx) {
      const cv::Rect r(bx * kStride, by * kStride, kBlock, kBlock);
      RingSpectra& block = grid[size_t(by) * blocks_x + bx];
      block = BlockSpectra(background(r), hann, hann_power);
      if (coding_error.empty()) continue;
      const RingSpectra error = BlockSpectra(coding_error(r), hann, hann_power);
      for (size_t k = 0; k < block.size(); ++k) block[k] += error[k];
    }
  }

  // Every puncture's lens-blurred profile summed, to share a window's signal among the
  // punctures that overlap there (out to 24 px, where a 4-px spot has long vanished).
  constexpr int kShareReach = 24;
  cv::Mat all_profiles = cv::Mat::zeros(h, w, CV_64F);
  for (const TruthPuncture& p : punctures) {
    const int cx = int(std::lround(p.x)), cy = int(std::lround(p.y));
    for (int y = std::max(0, cy - kShareReach); y <= std::min(h - 1, cy + kShareReach); ++y) {
      double* row = all_profiles.ptr<double>(y);
      for (int x = std::max(0, cx - kShareReach); x <= std::min(w - 1, cx + kShareReach); ++x) {
        row[x] += ProfileAt(p, in.blur_sigma_px, x, y);
      }
    }
  }

  // The rounding of 8-bit codes (1/12 code^2 per R, G, B channel) in Y, Cb, Cr.
  const cv::Matx33d m(kBgrToYCbCr);
  const cv::Matx33d rounding_floor = m * m.t() * (1.0 / 12);
  const Rings& rings = RingTable();

  std::vector<double> d_prime(punctures.size(), 0.0);
  for (size_t i = 0; i < punctures.size(); ++i) {
    const TruthPuncture& p = punctures[i];
    const int x0 = int(std::lround(p.x)) - kBlock / 2, y0 = int(std::lround(p.y)) - kBlock / 2;
    cv::Mat share = cv::Mat::zeros(kBlock, kBlock, CV_32F);
    for (int v = 0; v < kBlock; ++v) {
      const int y = y0 + v;
      if (y < 0 || y >= h) continue;
      for (int u = 0; u < kBlock; ++u) {
        const int x = x0 + u;
        if (x < 0 || x >= w) continue;
        const double all = all_profiles.at<double>(y, x);
        if (all > 0) share.at<float>(v, u) = float(ProfileAt(p, in.blur_sigma_px, x, y) / all);
      }
    }
    const cv::Rect image_rect(0, 0, w, h), window_rect(x0, y0, kBlock, kBlock);
    const cv::Rect inside = window_rect & image_rect;
    std::vector<std::array<cv::Mat, 3>> s;  // per realisation
    for (const cv::Mat& signal : signals) {
      cv::Mat window = cv::Mat::zeros(kBlock, kBlock, CV_32FC3);
      signal(inside).copyTo(window(inside - window_rect.tl()));
      std::vector<cv::Mat> ch;
      cv::split(window, ch);
      for (cv::Mat& c : ch) c = c.mul(share);
      cv::merge(ch, window);
      s.push_back(ChannelSpectra(window));
    }

    // The noise around it: the mean of the blocks within reach.
    std::array<double, kRings * kPairs> noise{};
    int used = 0;
    for (int by = 0; by < blocks_y; ++by) {
      const double dy = by * kStride + kBlock / 2.0 - p.y;
      if (std::abs(dy) > kNoiseReachPx) continue;
      for (int bx = 0; bx < blocks_x; ++bx) {
        const double dx = bx * kStride + kBlock / 2.0 - p.x;
        if (std::abs(dx) > kNoiseReachPx) continue;
        const RingSpectra& b = grid[size_t(by) * blocks_x + bx];
        for (size_t k = 0; k < noise.size(); ++k) noise[k] += b[k];
        ++used;
      }
    }
    if (used == 0) continue;  // cannot happen for images >= 32 px; d' 0 = not visible
    // The signal's own spread over the realisations, per ring, in the noise's units: JPEG
    // delivers a small spot differently each time (quantisation flips), so with the spot
    // present the file varies more than without it. The covariance used is the mean of the
    // two (the Hotelling observer with unequal class covariances).
    const size_t n_real = s.size();
    std::vector<cv::Vec3d> re(n_real * kBlock * kBlock), im(n_real * kBlock * kBlock);
    std::vector<cv::Vec3d> re_mean(kBlock * kBlock), im_mean(kBlock * kBlock);
    std::array<cv::Matx33d, kRings> spread{};
    for (int b = 0; b < kBlock * kBlock; ++b) {
      for (size_t k = 0; k < n_real; ++k) {
        for (int c = 0; c < 3; ++c) {
          const cv::Vec2f z = s[k][size_t(c)].ptr<cv::Vec2f>()[b];
          re[k * kBlock * kBlock + b][c] = z[0];
          im[k * kBlock * kBlock + b][c] = z[1];
        }
        re_mean[size_t(b)] += re[k * kBlock * kBlock + b] / k_signals;
        im_mean[size_t(b)] += im[k * kBlock * kBlock + b] / k_signals;
      }
      for (size_t k = 0; k < n_real; ++k) {
        const cv::Vec3d dr = re[k * kBlock * kBlock + b] - re_mean[size_t(b)];
        const cv::Vec3d di = im[k * kBlock * kBlock + b] - im_mean[size_t(b)];
        spread[size_t(rings.index[b])] += (dr * dr.t() + di * di.t()) *
                                          (1.0 / ((k_signals - 1) * rings.count[rings.index[b]] * kBlock * kBlock));
      }
    }
    std::array<cv::Matx33d, kRings> inverse;
    for (int k = 0; k < kRings; ++k) {
      cv::Matx33d c;
      for (int q = 0; q < kPairs; ++q) {
        const double v = noise[size_t(k * kPairs + q)] / used;
        c(kPairA[q], kPairB[q]) = c(kPairB[q], kPairA[q]) = v;
      }
      inverse[size_t(k)] = (c + 0.5 * spread[size_t(k)] + rounding_floor).inv(cv::DECOMP_CHOLESKY);
    }

    double d2 = 0;
    for (int b = 1; b < kBlock * kBlock; ++b) {  // b = 0 is the mean level, not used
      const cv::Matx33d& pinv = inverse[size_t(rings.index[b])];
      // |mean signal|^2 in that metric, less the spread of the realisations about their
      // mean over K (an unbiased estimate of the expected signal's energy).
      double deviation = 0;
      for (size_t k = 0; k < n_real; ++k) {
        const cv::Vec3d dr = re[k * kBlock * kBlock + b] - re_mean[size_t(b)];
        const cv::Vec3d di = im[k * kBlock * kBlock + b] - im_mean[size_t(b)];
        deviation += dr.dot(pinv * dr) + di.dot(pinv * di);
      }
      d2 += re_mean[size_t(b)].dot(pinv * re_mean[size_t(b)]) + im_mean[size_t(b)].dot(pinv * im_mean[size_t(b)]) -
            deviation / (k_signals * (k_signals - 1));
    }
    d_prime[i] = std::sqrt(std::max(0.0, d2) / (kBlock * kBlock));
  }
  return d_prime;
}

}  // namespace needlescope::synth
