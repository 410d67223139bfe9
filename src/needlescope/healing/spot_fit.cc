#include "needlescope/healing/spot_fit.h"

#include <algorithm>
#include <cmath>

#include "needlescope/color/srgb.h"

namespace needlescope::healing {
namespace {

double HalfWindow(double radius_px) { return 3 * radius_px + 3; }

// The grid's cells are as wide as the farthest reach (a window's half-size plus a
// neighbour's 2 r), so that the 3 x 3 cells around a target hold every spot that can reach
// its window.
double Reach(const std::vector<Spot>& spots) {
  double max_r = 1;
  for (const Spot& s : spots) max_r = std::max(max_r, s.radius_px);
  return HalfWindow(max_r) + 2 * max_r;
}

}  // namespace

SpotFitter::SpotFitter(const cv::Mat& bgr, std::vector<Spot> spots)
    : bgr_(bgr), spots_(std::move(spots)), grid_(Reach(spots_)) {
  CV_Assert(bgr.type() == CV_8UC3);
  for (size_t k = 0; k < spots_.size(); ++k) grid_.Add(int(k), spots_[k].x, spots_[k].y);
}

double SpotFitter::Amplitude(size_t target) const {
  const Spot& t = spots_.at(target);
  const double half = HalfWindow(t.radius_px);
  const int cx = int(std::lround(t.x)), cy = int(std::lround(t.y)), reach = int(half);
  const cv::Rect window = cv::Rect(cx - reach, cy - reach, 2 * reach + 1, 2 * reach + 1) &
                          cv::Rect(0, 0, bgr_.cols, bgr_.rows);

  std::vector<int> members = {int(target)};
  grid_.ForEachNear(t.x, t.y, [&](int k) {
    const Spot& s = spots_[size_t(k)];
    if (size_t(k) != target && std::hypot(s.x - t.x, s.y - t.y) < half + 2 * s.radius_px) members.push_back(k);
  });
  // Ascending ids after the target: the design matrix, hence the rounding, does not depend
  // on the grid's bucket order.
  std::sort(members.begin() + 1, members.end());

  const int n = window.area(), m = 3 + int(members.size());
  if (n < m) return 0;
  cv::Mat design(n, m, CV_64F), values(n, 1, CV_64F);
  const auto& od = color::OpticalDensityTable();
  int row = 0;
  for (int y = window.y; y < window.y + window.height; ++y) {
    const cv::Vec3b* px = bgr_.ptr<cv::Vec3b>(y);
    for (int x = window.x; x < window.x + window.width; ++x, ++row) {
      double* d = design.ptr<double>(row);
      d[0] = 1;
      d[1] = x - t.x;
      d[2] = y - t.y;
      for (size_t k = 0; k < members.size(); ++k) {
        const Spot& s = spots_[size_t(members[k])];
        const double d2 = (x - s.x) * (x - s.x) + (y - s.y) * (y - s.y);
        d[3 + k] = std::exp(-d2 / (s.radius_px * s.radius_px));
      }
      values.at<double>(row) = od[px[x][1]];  // green: blood absorbs most there
    }
  }
  cv::Mat coefficients;
  cv::solve(design, values, coefficients, cv::DECOMP_SVD);
  return coefficients.at<double>(3);
}

}  // namespace needlescope::healing
