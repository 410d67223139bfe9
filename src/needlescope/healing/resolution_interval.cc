#include "needlescope/healing/resolution_interval.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace needlescope::healing {
namespace {

// Per block of the treated region: the sum of Δ and the pixel count (blocks with none left out).
struct BlockSums {
  std::vector<double> sum;
  std::vector<double> count;
};

BlockSums SumsByBlock(const redness::RednessResult& r, int block) {
  BlockSums sums;
  const cv::Mat& delta = r.delta_hemoglobin_map;
  const cv::Mat& treated = r.treated_mask;
  if (delta.empty() || treated.empty() || delta.size() != treated.size()) return sums;
  for (int by = 0; by < delta.rows; by += block) {
    for (int bx = 0; bx < delta.cols; bx += block) {
      double sum = 0, count = 0;
      for (int y = by; y < std::min(delta.rows, by + block); ++y) {
        const float* d = delta.ptr<float>(y);
        const std::uint8_t* t = treated.ptr<std::uint8_t>(y);
        for (int x = bx; x < std::min(delta.cols, bx + block); ++x) {
          if (t[x] && std::isfinite(d[x])) {
            sum += d[x];
            ++count;
          }
        }
      }
      if (count > 0) {
        sums.sum.push_back(sum);
        sums.count.push_back(count);
      }
    }
  }
  return sums;
}

// The mean Δ of one resample of the blocks (with replacement).
double ResampledMean(const BlockSums& sums, std::mt19937_64& rng) {
  std::uniform_int_distribution<size_t> pick(0, sums.sum.size() - 1);
  double sum = 0, count = 0;
  for (size_t i = 0; i < sums.sum.size(); ++i) {
    const size_t k = pick(rng);
    sum += sums.sum[k];
    count += sums.count[k];
  }
  return sum / count;
}

}  // namespace

std::optional<std::pair<double, double>> RednessResolutionInterval(const redness::RednessResult& before,
                                                                   const redness::RednessResult& after,
                                                                   const ResolutionIntervalOptions& options) {
  if (!before.treated_found || !after.treated_found || !before.baseline_found) return std::nullopt;
  const BlockSums b = SumsByBlock(before, options.block_px), a = SumsByBlock(after, options.block_px);
  if (b.sum.size() < 4 || a.sum.size() < 4) return std::nullopt;
  std::mt19937_64 rng(options.seed);
  std::vector<double> resolutions;
  resolutions.reserve(options.resamples);
  for (int i = 0; i < options.resamples; ++i) {
    const double excess_before = ResampledMean(b, rng), excess_after = ResampledMean(a, rng);
    resolutions.push_back(1 - excess_after / excess_before);
  }
  std::sort(resolutions.begin(), resolutions.end());
  const auto at = [&](double q) { return resolutions[size_t(std::lround(q * (resolutions.size() - 1)))]; };
  return std::pair{at(0.025), at(0.975)};
}

}  // namespace needlescope::healing
