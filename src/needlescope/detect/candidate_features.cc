#include "needlescope/detect/candidate_features.h"

#include <algorithm>
#include <cmath>

#include "needlescope/color/srgb.h"
#include "needlescope/detect/code_histogram.h"

namespace needlescope::detect {
namespace {

struct Neighbourhood {
  cv::Vec3d mean_od{0, 0, 0};
  double mean_plane = 0;
  int count = 0;
};

// Pixels of the tile within distance [r0, r1) of (x, y), given in image coordinates; each
// is also passed to `on_pixel(row, column)` (tile coordinates).
template <typename OnPixel>
Neighbourhood Collect(const TilePlanes& tile, double x, double y, double r0, double r1,
                      OnPixel&& on_pixel) {
  const cv::Point origin = tile.origin;
  const cv::Mat& bgr = tile.bgr;
  const std::array<float, 256>& od = color::OpticalDensityFloatTable();
  Neighbourhood n;
  const int reach = int(std::ceil(r1));
  const int cx = int(std::floor(x)) - origin.x, cy = int(std::floor(y)) - origin.y;
  // Squared distances: std::hypot per pixel was a sixth of detection's time.
  const double r0_squared = r0 * r0, r1_squared = r1 * r1;
  const double cx_tile = x - origin.x;  // the centre in the tile's columns
  const int i_first = std::max(0, cx - reach), i_last = std::min(bgr.cols - 1, cx + 1 + reach);
  for (int j = std::max(0, cy - reach); j <= std::min(bgr.rows - 1, cy + 1 + reach); ++j) {
    const double dy = double(origin.y + j) - y;
    const double dy_squared = dy * dy;
    if (dy_squared >= r1_squared) continue;  // dx^2 + dy^2 >= dy^2: no pixel of the row is in
    // Only the columns that can pass the test below are visited, in the same order: those
    // within the outer circle's chord, less those surely inside the inner one (both with a
    // pixel of margin, so that the exact test still decides every pixel it could pass).
    const double outer = std::sqrt(r1_squared - dy_squared);
    const int lo = std::max(i_first, int(std::floor(cx_tile - outer)) - 1);
    const int hi = std::min(i_last, int(std::ceil(cx_tile + outer)) + 1);
    int hole_lo = hi + 1, hole_hi = hi;  // no hole
    if (r0_squared > dy_squared) {
      const double inner = std::sqrt(r0_squared - dy_squared) - 1;
      if (inner > 0) {
        hole_lo = std::max(lo, int(std::ceil(cx_tile - inner)));
        hole_hi = std::min(hi, int(std::floor(cx_tile + inner)));
      }
    }
    const cv::Vec3b* bgr_row = bgr.ptr<cv::Vec3b>(j);
    const float* plane_row = tile.plane.ptr<float>(j);
    auto visit = [&](int i) {
      const double dx = double(origin.x + i) - x;
      const double d_squared = dx * dx + dy * dy;
      if (d_squared < r0_squared || d_squared >= r1_squared) return;
      const cv::Vec3b& p = bgr_row[i];
      n.mean_od += cv::Vec3d(od[p[2]], od[p[1]], od[p[0]]);
      n.mean_plane += plane_row[i];
      ++n.count;
      on_pixel(j, i);
    };
    for (int i = lo; i < std::min(hole_lo, hi + 1); ++i) visit(i);
    for (int i = std::max(lo, hole_hi + 1); i <= hi; ++i) visit(i);
  }
  if (n.count > 0) {
    n.mean_od *= 1.0 / n.count;
    n.mean_plane /= n.count;
  }
  return n;
}

Neighbourhood Collect(const TilePlanes& tile, double x, double y, double r0, double r1) {
  return Collect(tile, x, y, r0, r1, [](int, int) {});
}

// The median (the upper one of an even count); reorders `v`.
double Median(std::vector<float>& v) {
  if (v.empty()) return 0;
  const auto mid = v.begin() + v.size() / 2;
  std::nth_element(v.begin(), mid, v.end());
  return *mid;
}

// Small over large eigenvalue of the Hessian of -r at pixel (x, y): 1 for a round peak,
// 0 for a ridge. 0 when the point is not a proper peak.
double Roundness(const cv::Mat& r, int x, int y) {
  if (x < 1 || y < 1 || x >= r.cols - 1 || y >= r.rows - 1) return 0;
  auto at = [&](int dx, int dy) { return double(r.at<float>(y + dy, x + dx)); };
  const double hxx = 2 * at(0, 0) - at(-1, 0) - at(1, 0);
  const double hyy = 2 * at(0, 0) - at(0, -1) - at(0, 1);
  const double hxy = -(at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / 4;
  const double mean = (hxx + hyy) / 2, diff = std::hypot((hxx - hyy) / 2, hxy);
  const double large = mean + diff, small = mean - diff;
  return large > 0 ? std::clamp(small / large, 0.0, 1.0) : 0.0;
}

}  // namespace

Candidate MeasureCandidate(const SpotMaximum& spot, const TilePlanes& tile,
                           const std::vector<cv::Mat>& stack, const color::Unmixer& unmixer) {
  Candidate c;
  c.x = spot.x;
  c.y = spot.y;
  c.radius_px = spot.radius_px;
  c.response = spot.response;
  const int px = spot.px, py = spot.py;
  c.response_fine_ratio = stack.front().at<float>(py, px) / spot.response;
  c.response_coarse_ratio = stack.back().at<float>(py, px) / spot.response;
  c.roundness = Roundness(stack[size_t(spot.scale)], px, py);

  const double r = std::max(1.0, spot.radius_px);
  const Neighbourhood inside = Collect(tile, spot.x, spot.y, 0.0, std::max(1.2, 0.8 * r));
  // The background: the ring's median and robust spread (1.4826 x the median absolute
  // deviation), by counting codes when the plane has them, the same floats either way.
  const double ring_r0 = 2.0 * r + 1, ring_r1 = 3.0 * r + 2;
  Neighbourhood ring;
  double background = 0, spread = 0;
  if (tile.plane_channel >= 0) {
    thread_local CodeHistogram ring_codes(color::OpticalDensityFloatTable());
    const int channel = tile.plane_channel;
    ring = Collect(tile, spot.x, spot.y, ring_r0, ring_r1,
                   [&](int j, int i) { ring_codes.Add(tile.bgr.ptr<cv::Vec3b>(j)[i][channel]); });
    const auto [median, mad] = ring_codes.TakeMedianAndMad();
    background = median;
    spread = 1.4826 * mad;
  } else {
    thread_local std::vector<float> ring_values;
    ring_values.clear();
    ring = Collect(tile, spot.x, spot.y, ring_r0, ring_r1,
                   [&](int j, int i) { ring_values.push_back(tile.plane.ptr<float>(j)[i]); });
    background = Median(ring_values);
    for (float& v : ring_values) v = std::abs(v - float(background));
    spread = 1.4826 * Median(ring_values);
  }
  c.contrast = inside.mean_plane - background;
  // The floor keeps z finite on flat synthetic or clipped backgrounds (8-bit OD steps near
  // mid-grey are about 0.002).
  c.contrast_z = c.contrast / std::max(spread, 0.002);

  const cv::Vec3d d = inside.mean_od - ring.mean_od;
  const cv::Vec3d u = unmixer.Unmix(d[0], d[1], d[2]);
  c.delta_melanin = u[0];
  c.delta_hemoglobin = u[1];
  c.delta_shading = u[2];
  c.hemoglobin_share = u[1] / (std::abs(u[0]) + std::abs(u[1]) + std::abs(u[2]) + 1e-6);
  c.ring_od_r = ring.mean_od[0];
  c.ring_od_g = ring.mean_od[1];
  c.ring_od_b = ring.mean_od[2];
  c.stain_contrast = d[0] - d[2];
  return c;
}

double WideStainContrast(const Candidate& c, const TilePlanes& tile, const color::Rgb& weights) {
  const double spot_radius = std::max(1.2, 0.8 * std::max(1.0, c.radius_px));
  const Neighbourhood wide = Collect(tile, c.x, c.y, 0.0, spot_radius + 1.0);
  return weights[0] * (wide.mean_od[0] - c.ring_od_r) + weights[1] * (wide.mean_od[1] - c.ring_od_g) +
         weights[2] * (wide.mean_od[2] - c.ring_od_b);
}

}  // namespace needlescope::detect
