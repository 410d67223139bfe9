#include "needlescope/redness/treated_region.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "needlescope/tiling/cancellation.h"

namespace needlescope::redness {
namespace {

// Reorders `v` (nth_element); the values themselves stay.
double Median(std::vector<float>& v) {
  if (v.empty()) return 0;
  auto mid = v.begin() + v.size() / 2;
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Percentile by rank of `values` (reordered), q in [0, 1].
double Rank(std::vector<float>& values, double q) {
  auto at = values.begin() + std::min(values.size() - 1, size_t(q * values.size()));
  std::nth_element(values.begin(), at, values.end());
  return *at;
}

// Otsu's threshold of `values` over a 256-bin histogram spanning their 1st-99th percentile.
double OtsuThreshold(std::vector<float> values) {
  const double lo = Rank(values, 0.01), hi = Rank(values, 0.99);
  if (hi <= lo) return lo;
  std::vector<double> hist(256, 0);
  for (float v : values) hist[std::clamp(int((v - lo) / (hi - lo) * 255.0), 0, 255)] += 1;
  double total = 0, weighted = 0;
  for (int i = 0; i < 256; ++i) total += hist[i], weighted += i * hist[i];
  double w0 = 0, sum0 = 0, best = -1;
  int best_bin = 0;
  for (int i = 0; i < 256; ++i) {
    w0 += hist[i];
    sum0 += i * hist[i];
    if (w0 == 0 || w0 == total) continue;
    const double m0 = sum0 / w0, m1 = (weighted - sum0) / (total - w0);
    const double between = w0 * (total - w0) * (m0 - m1) * (m0 - m1);
    if (between > best) best = between, best_bin = i;
  }
  return lo + (best_bin + 0.5) / 256.0 * (hi - lo);
}

// The region is a smooth thing (the map is averaged over sigma 12 px before anything is
// decided), so it is found on a copy reduced kReduce times by area averaging - 1/16 of the
// pixels - and only the final mask is brought back to full size. At 24 MP the full-size
// version was a third of `analyze`'s time (two sigma-12 blurs and a sort of every pixel).
constexpr int kReduce = 4;
constexpr double kSmoothSigmaPx = 12.0;
constexpr int kCleanDiameterPx = 9;
constexpr double kMinSkinPixels = 1000;  // full-size pixels needed on either side

// The reduced copies, straight from the full-size planes: per kReduce x kReduce block (the
// last row and column of blocks over what is left), the share of skin pixels and the mean
// of hemoglobin with off-skin pixels as 0 - what INTER_AREA resizing of the skin weight and
// the masked map gives when the sides divide by kReduce, without their two full-size float
// copies (≈ 200 MB at 24 MP). Each block is summed in one order: deterministic.
void ReduceBlocks(const cv::Mat& hemoglobin, const cv::Mat& skin, cv::Size small, cv::Mat& weight,
                  cv::Mat& weighted) {
  weight.create(small, CV_32F);
  weighted.create(small, CV_32F);
  cv::parallel_for_(cv::Range(0, small.height), [&](const cv::Range& rows) {
    for (int by = rows.start; by < rows.end; ++by) {
      const int y0 = by * kReduce, y1 = std::min(hemoglobin.rows, y0 + kReduce);
      for (int bx = 0; bx < small.width; ++bx) {
        const int x0 = bx * kReduce, x1 = std::min(hemoglobin.cols, x0 + kReduce);
        double on_skin = 0, sum = 0;
        for (int y = y0; y < y1; ++y) {
          const float* h = hemoglobin.ptr<float>(y);
          const std::uint8_t* k = skin.ptr<std::uint8_t>(y);
          for (int x = x0; x < x1; ++x) {
            if (!k[x]) continue;
            on_skin += 1;
            sum += h[x];
          }
        }
        const double n = double((y1 - y0) * (x1 - x0));
        weight.at<float>(by, bx) = float(on_skin / n);
        weighted.at<float>(by, bx) = float(sum / n);
      }
    }
  });
  ThrowIfCancelled();
}

}  // namespace

TreatedRegionEstimate EstimateTreatedRegion(const cv::Mat& hemoglobin, const cv::Mat& skin) {
  TreatedRegionEstimate estimate;
  const cv::Size small((hemoglobin.cols + kReduce - 1) / kReduce, (hemoglobin.rows + kReduce - 1) / kReduce);
  const double pixels_per_sample = double(hemoglobin.total()) / double(small.area());
  cv::Mat weight, weighted, smooth;
  ReduceBlocks(hemoglobin, skin, small, weight, weighted);
  const double sigma = kSmoothSigmaPx / kReduce;
  cv::GaussianBlur(weighted, weighted, cv::Size(), sigma);
  cv::GaussianBlur(weight, weight, cv::Size(), sigma);
  cv::divide(weighted, cv::max(weight, 1e-6), smooth);
  const cv::Mat usable = weight > 0.05;

  std::vector<float> values;
  for (int y = 0; y < smooth.rows; ++y) {
    const float* s = smooth.ptr<float>(y);
    const std::uint8_t* u = usable.ptr<std::uint8_t>(y);
    for (int x = 0; x < smooth.cols; ++x) if (u[x]) values.push_back(s[x]);
  }
  if (values.size() * pixels_per_sample < kMinSkinPixels) return estimate;
  cv::Mat candidate = (smooth > OtsuThreshold(values)) & usable;
  const int clean = std::max(3, (kCleanDiameterPx / kReduce) | 1);
  const cv::Mat kernel = cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(clean, clean));
  cv::morphologyEx(candidate, candidate, cv::MORPH_OPEN, kernel);
  cv::morphologyEx(candidate, candidate, cv::MORPH_CLOSE, kernel);

  cv::Mat labels, stats, centroids;
  const int n = cv::connectedComponentsWithStats(candidate, labels, stats, centroids, 8, CV_32S);
  int largest = 0;
  for (int i = 1; i < n; ++i) {
    if (largest == 0 || stats.at<int>(i, cv::CC_STAT_AREA) > stats.at<int>(largest, cv::CC_STAT_AREA)) largest = i;
  }
  if (largest == 0) return estimate;
  cv::Mat region = labels == largest;
  // Fill holes: flood the outside from a padded border; what it cannot reach is inside.
  cv::Mat padded;
  cv::copyMakeBorder(region, padded, 1, 1, 1, 1, cv::BORDER_CONSTANT, 0);
  cv::floodFill(padded, cv::Point(0, 0), 128);
  region = padded(cv::Rect(1, 1, region.cols, region.rows)) != 128;

  estimate.area_fraction = double(cv::countNonZero(region)) / region.total();
  std::vector<float> inside, outside;
  for (int y = 0; y < smooth.rows; ++y) {
    const float* s = smooth.ptr<float>(y);
    const std::uint8_t* u = usable.ptr<std::uint8_t>(y);
    const std::uint8_t* r = region.ptr<std::uint8_t>(y);
    for (int x = 0; x < smooth.cols; ++x) {
      if (u[x]) (r[x] ? inside : outside).push_back(s[x]);
    }
  }
  if (inside.empty() || outside.size() * pixels_per_sample < kMinSkinPixels) return estimate;
  const double median_out = Median(outside);
  std::vector<float> deviation(outside.size());
  for (size_t i = 0; i < outside.size(); ++i) deviation[i] = std::abs(outside[i] - float(median_out));
  const double sd_out = std::max(1.4826 * Median(deviation), 1e-9);
  estimate.separation = (Median(inside) - median_out) / sd_out;
  if (estimate.area_fraction >= 0.02 && estimate.area_fraction <= 0.9 &&
      estimate.separation >= kMinSeparation) {
    // Back to full size: the reduced mask interpolated and cut at half, so that its edge
    // is smooth rather than a staircase of kReduce-px steps.
    cv::resize(region, estimate.mask, hemoglobin.size(), 0, 0, cv::INTER_LINEAR);
    estimate.mask = estimate.mask >= 128;
  }
  return estimate;
}

}  // namespace needlescope::redness
