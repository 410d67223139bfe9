#include "needlescope/redness/code_counts.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include <tbb/enumerable_thread_specific.h>
#include <tbb/parallel_for.h>

#include "needlescope/redness/kth_smallest.h"
#include "needlescope/tiling/cancellation.h"

namespace needlescope::redness {

PhotoCodeCounts CountCodes(const cv::Mat& bgr, const cv::Mat& mask0, const cv::Mat& mask1, bool red_green_of_1) {
  CV_Assert(bgr.type() == CV_8UC3);
  tbb::enumerable_thread_specific<PhotoCodeCounts> per_thread([&] {
    PhotoCodeCounts counts;
    if (red_green_of_1) counts.red_green.assign(size_t(1) << 16, 0);
    return counts;
  });
  constexpr int kBand = 32;  // rows per task
  tbb::parallel_for(0, (bgr.rows + kBand - 1) / kBand, [&](int band) {
    PhotoCodeCounts& counts = per_thread.local();
    for (int y = band * kBand; y < std::min(bgr.rows, (band + 1) * kBand); ++y) {
      const cv::Vec3b* p = bgr.ptr<cv::Vec3b>(y);
      const cv::Mat* masks[2] = {&mask0, &mask1};
      for (int k = 0; k < 2; ++k) {
        if (masks[k]->empty()) continue;
        const std::uint8_t* m = masks[k]->ptr<std::uint8_t>(y);
        ChannelCodeCounts& region = counts.region[k];
        const bool pairs = k == 1 && red_green_of_1;
        for (int x = 0; x < bgr.cols; ++x) {
          if (!m[x]) continue;
          ++region.rgb[0][p[x][2]];
          ++region.rgb[1][p[x][1]];
          ++region.rgb[2][p[x][0]];
          ++region.pixels;
          if (pairs) ++counts.red_green[size_t(p[x][2]) << 8 | p[x][1]];
        }
      }
    }
  });
  ThrowIfCancelled();
  PhotoCodeCounts total;
  if (red_green_of_1) total.red_green.assign(size_t(1) << 16, 0);
  for (const PhotoCodeCounts& counts : per_thread) {
    for (int k = 0; k < 2; ++k) {
      total.region[k].pixels += counts.region[k].pixels;
      for (size_t c = 0; c < 3; ++c) {
        for (size_t code = 0; code < 256; ++code) total.region[k].rgb[c][code] += counts.region[k].rgb[c][code];
      }
    }
    for (size_t i = 0; i < total.red_green.size(); ++i) total.red_green[i] += counts.red_green[i];
  }
  return total;
}

double PercentileOfCounted(std::vector<std::pair<float, long long>> counted, double q) {
  counted.erase(std::remove_if(counted.begin(), counted.end(), [](const auto& vc) { return vc.second <= 0; }),
                counted.end());
  if (counted.empty()) return 0.0;
  std::sort(counted.begin(), counted.end());
  long long n = 0;
  for (const auto& vc : counted) n += vc.second;
  const long long rank = static_cast<long long>(NearestRank(size_t(n), q));  // as for collected values
  long long seen = 0;
  for (const auto& [value, count] : counted) {
    seen += count;
    if (rank < seen) return value;
  }
  return counted.back().first;
}

}  // namespace needlescope::redness
