#include "needlescope/detect/scale_space.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

#include <opencv2/imgproc.hpp>

#include "needlescope/detect/point_grid.h"

namespace needlescope::detect {
namespace {

// A finer maximum counts as one of the spots a coarse maximum covers when its response is
// at least this fraction of the coarse one's. 0.6 rather than lower: at low candidate
// thresholds, noise maxima near a real spot (dark skin, JPEG blocks) would otherwise break
// the spot up; chosen on the tuning set (out-of-fold F1 0.918 at 0.3, 0.923 at 0.6).
constexpr double kMergeFraction = 0.6;

// Squared distances: std::hypot was a tenth of this stage's time.
double SquaredDist(const SpotMaximum& a, const SpotMaximum& b) {
  const double dx = a.x - b.x, dy = a.y - b.y;
  return dx * dx + dy * dy;
}
double Squared(double d) { return d * d; }

// The smallest float f with f >= t, so that for a float v, v >= f exactly when v >= t.
float FloatAtLeast(double t) {
  const float f = float(t);
  return double(f) < t ? std::nextafter(f, std::numeric_limits<float>::infinity()) : f;
}

// 3x3 spatial maxima of one response plane, refined to sub-pixel by a parabola per axis.
void PlaneMaxima(const cv::Mat& r, int scale, double radius_px, double min_response, cv::Point origin,
                 std::vector<SpotMaximum>* out) {
  auto offset = [](double l, double c, double rr) {
    const double denom = l - 2 * c + rr;
    return denom < 0 ? std::clamp(0.5 * (l - rr) / denom, -0.5, 0.5) : 0.0;
  };
  if (r.rows < 3 || r.cols < 3) return;
  // Pre-selection, a row at a time in loops the compiler vectorises: a maximum is >= the
  // largest of its 3x3 neighbourhood (the largest of three column maxima) and >= the
  // threshold. Testing the neighbours pixel by pixel instead was half of this function's
  // time (the candidate threshold is low, so that branch is unpredictable on noisy skin);
  // about one pixel in 200 is selected, so the scan below skips 8 unselected pixels at a
  // time. (This replaced OpenCV's dilate, max and compare over whole planes: the same
  // selection, in one pass and no plane.)
  const float floor = FloatAtLeast(min_response);
  std::vector<float> column_max(size_t(r.cols));
  std::vector<std::uint8_t> selection(size_t(r.cols) + 8, 0);
  const std::uint8_t* selected = selection.data();
  for (int y = 1; y < r.rows - 1; ++y) {
    const float* above = r.ptr<float>(y - 1);
    const float* row = r.ptr<float>(y);
    const float* below = r.ptr<float>(y + 1);
    float* m3 = column_max.data();
    for (int x = 0; x < r.cols; ++x) {
      const float a = above[x] > row[x] ? above[x] : row[x];
      m3[x] = a > below[x] ? a : below[x];
    }
    std::uint8_t* pick = selection.data();
    for (int x = 1; x < r.cols - 1; ++x) {
      const float left = m3[x - 1] > m3[x] ? m3[x - 1] : m3[x];
      const float right = m3[x + 1] > floor ? m3[x + 1] : floor;
      pick[x] = row[x] >= (left > right ? left : right);
    }
    for (int x = 1; x < r.cols - 1; ++x) {
      if (x + 8 <= r.cols - 1) {
        std::uint64_t eight;
        std::memcpy(&eight, selected + x, sizeof eight);
        if (eight == 0) {
          x += 7;
          continue;
        }
      }
      if (!selected[x]) continue;
      const float v = row[x];
      // Strict on one side of each tie so that a plateau gives exactly one peak.
      if (above[x - 1] >= v || above[x] >= v || above[x + 1] >= v || row[x - 1] >= v) continue;
      if (row[x + 1] > v || below[x - 1] > v || below[x] > v || below[x + 1] > v) continue;
      SpotMaximum m;
      m.x = double(origin.x + x) + offset(row[x - 1], v, row[x + 1]);
      m.y = double(origin.y + y) + offset(above[x], v, below[x]);
      m.px = x;
      m.py = y;
      m.scale = scale;
      m.radius_px = radius_px;
      m.response = v;
      out->push_back(m);
    }
  }
}

}  // namespace

std::vector<double> LogSigmas(double min_radius_px, double max_radius_px, int scales) {
  const double lo = std::sqrt(min_radius_px * min_radius_px / 2 + kLensSigmaPx * kLensSigmaPx);
  const double hi = std::sqrt(max_radius_px * max_radius_px / 2 + kLensSigmaPx * kLensSigmaPx);
  std::vector<double> sigmas;
  for (int k = 0; k < scales; ++k) sigmas.push_back(lo * std::pow(hi / lo, double(k) / (scales - 1)));
  return sigmas;
}

double RadiusFromSigma(double sigma) {
  return std::sqrt(2.0 * std::max(sigma * sigma - kLensSigmaPx * kLensSigmaPx, 0.25));
}

std::vector<cv::Mat> LogStack(const cv::Mat& plane, const std::vector<double>& sigmas,
                              TileWorkspace* workspace) {
  std::vector<cv::Mat> stack(sigmas.size());
  for (size_t k = 0; k < sigmas.size(); ++k) {
    cv::Mat blurred;
    if (workspace) {
      blurred = workspace->Plane(TileWorkspace::kBlurred, plane.size(), CV_32F);
      stack[k] = workspace->Plane(TileWorkspace::kStack + k, plane.size(), CV_32F);
    }
    cv::GaussianBlur(plane, blurred, cv::Size(), sigmas[k], sigmas[k], cv::BORDER_REFLECT101);
    cv::Laplacian(blurred, stack[k], CV_32F, /*ksize=*/1, /*scale=*/-sigmas[k] * sigmas[k]);
  }
  return stack;
}

std::vector<SpotMaximum> FindSpotMaxima(const std::vector<cv::Mat>& stack,
                                        const std::vector<double>& sigmas,
                                        double min_response,
                                        cv::Point origin) {
  // Maxima per scale, not across scales: two spots two radii apart have separate maxima
  // only at their own scale, while their responses keep growing into one merged blob at
  // coarser scales.
  std::vector<SpotMaximum> found;
  for (size_t k = 0; k < stack.size(); ++k) {
    PlaneMaxima(stack[k], int(k), RadiusFromSigma(sigmas[k]), min_response, origin, &found);
  }
  const double max_radius = RadiusFromSigma(sigmas.back());
  // Every centre lies within half a pixel of its plane pixel, so inside this rectangle.
  const double x0 = origin.x - 1.0, y0 = origin.y - 1.0;
  const double x1 = origin.x + (stack.empty() ? 0 : stack[0].cols) + 1.0;
  const double y1 = origin.y + (stack.empty() ? 0 : stack[0].rows) + 1.0;
  BoundedPointGrid all(std::max(1.5, max_radius), x0, y0, x1, y1, int(found.size()));
  for (size_t i = 0; i < found.size(); ++i) all.Add(int(i), found[i].x, found[i].y);

  // The merge rule: a coarse maximum that contains two or more distinct finer maxima of
  // substantial response covers two spots: drop it in their favour. Neighbours are visited
  // in index order, which is fixed by the scan above, so the result is too.
  std::vector<SpotMaximum> unmerged;
  std::vector<int> near;
  std::vector<const SpotMaximum*> inner;
  for (const SpotMaximum& a : found) {
    if (a.scale == 0) {  // nothing is finer
      unmerged.push_back(a);
      continue;
    }
    // Only finer maxima of substantial response close enough count; filtered before the
    // sort, which restores the scan order they are judged in.
    near.clear();
    all.ForEachNear(a.x, a.y, [&](int id) {
      const SpotMaximum& b = found[size_t(id)];
      const bool counts = b.radius_px < a.radius_px && b.response >= kMergeFraction * a.response &&
                          SquaredDist(a, b) <= Squared(a.radius_px);
      if (counts) near.push_back(id);
    });
    if (near.size() < 2) {
      unmerged.push_back(a);
      continue;
    }
    std::sort(near.begin(), near.end());
    inner.clear();
    for (int id : near) {
      const SpotMaximum& b = found[size_t(id)];
      const bool distinct = std::all_of(inner.begin(), inner.end(), [&](const SpotMaximum* c) {
        return SquaredDist(b, *c) >= Squared(1.5 * std::min(b.radius_px, c->radius_px));
      });
      if (distinct) inner.push_back(&b);
    }
    if (inner.size() < 2) unmerged.push_back(a);
  }

  // One detection per spot: greedy by response, suppressing weaker maxima within the
  // stronger one's radius (punctures are at least 1.5 radii apart).
  std::sort(unmerged.begin(), unmerged.end(), [](const SpotMaximum& a, const SpotMaximum& b) {
    return a.response != b.response ? a.response > b.response : (a.y != b.y ? a.y < b.y : a.x < b.x);
  });
  std::vector<SpotMaximum> kept;
  BoundedPointGrid kept_grid(std::max(1.5, max_radius), x0, y0, x1, y1, int(unmerged.size()));
  for (const SpotMaximum& c : unmerged) {
    bool suppressed = false;
    kept_grid.ForEachNear(c.x, c.y, [&](int k) {
      const SpotMaximum& s = kept[size_t(k)];
      if (SquaredDist(s, c) < Squared(std::max(1.5, std::max(s.radius_px, c.radius_px)))) suppressed = true;
    });
    if (suppressed) continue;
    kept_grid.Add(int(kept.size()), c.x, c.y);
    kept.push_back(c);
  }
  return kept;
}

}  // namespace needlescope::detect
