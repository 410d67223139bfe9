#include "needlescope/synth/layers.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

namespace needlescope::synth {

cv::Mat SmoothNoise(cv::Size size, double scale_px, cv::RNG& rng) {
  // Work at a resolution where the feature scale is ~4 px, then resize up: same statistics,
  // a fraction of the cost for large scales.
  const double shrink = std::max(1.0, scale_px / 4.0);
  const cv::Size small(std::max(8, int(std::ceil(size.width / shrink)) + 8),
                       std::max(8, int(std::ceil(size.height / shrink)) + 8));
  cv::Mat noise(small, CV_32F);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, 1.0);
  cv::GaussianBlur(noise, noise, cv::Size(), scale_px / shrink, 0, cv::BORDER_REFLECT101);
  cv::Mat field;
  cv::resize(noise, field, cv::Size(int(small.width * shrink), int(small.height * shrink)), 0, 0,
             cv::INTER_CUBIC);
  field = field(cv::Rect(0, 0, size.width, size.height)).clone();
  cv::Scalar mean, sd;
  cv::meanStdDev(field, mean, sd);
  field = (field - mean[0]) / std::max(sd[0], 1e-9);
  return field;
}

namespace {

// Adds profile(amplitude, squared distance / radius^2) to the pixels within `reach` px of
// (x, y) (their centres), clipped to the map.
template <typename Profile>
void AddSpot(cv::Mat& map, double x, double y, double radius_px, double amplitude, int reach,
             Profile profile) {
  const int x0 = std::max(0, int(std::floor(x)) - reach), x1 = std::min(map.cols - 1, int(x) + reach);
  const int y0 = std::max(0, int(std::floor(y)) - reach), y1 = std::min(map.rows - 1, int(y) + reach);
  const double inv_r2 = 1.0 / (radius_px * radius_px);
  for (int j = y0; j <= y1; ++j) {
    float* row = map.ptr<float>(j);
    for (int i = x0; i <= x1; ++i) {
      const double d2 = (i - x) * (i - x) + (j - y) * (j - y);
      row[i] += static_cast<float>(profile(amplitude, d2 * inv_r2));
    }
  }
}

}  // namespace

void AddGaussianSpot(cv::Mat& map, double x, double y, double radius_px, double amplitude) {
  AddSpot(map, x, y, radius_px, amplitude, int(std::ceil(3.5 * radius_px)) + 1,
          [](double a, double u) { return a * std::exp(-u); });
}

void AddLorentzianSpot(cv::Mat& map, double x, double y, double radius_px, double amplitude) {
  AddSpot(map, x, y, radius_px, amplitude, int(std::ceil(10 * radius_px)) + 1, [](double a, double u) {
    const double q = 1.0 + u;
    return a / (q * std::sqrt(q));
  });
}

void AddFlatSpot(cv::Mat& map, double x, double y, double radius_px, double edge_px,
                 double amplitude) {
  const int reach = int(std::ceil(radius_px + 6 * edge_px)) + 1;
  const int x0 = std::max(0, int(x) - reach), x1 = std::min(map.cols - 1, int(x) + reach);
  const int y0 = std::max(0, int(y) - reach), y1 = std::min(map.rows - 1, int(y) + reach);
  for (int j = y0; j <= y1; ++j) {
    float* row = map.ptr<float>(j);
    for (int i = x0; i <= x1; ++i) {
      const double d = std::hypot(i - x, j - y);
      row[i] += static_cast<float>(amplitude / (1.0 + std::exp((d - radius_px) / edge_px)));
    }
  }
}

cv::Mat PolygonCoverage(cv::Size size, const std::vector<cv::Point2d>& polygon) {
  constexpr int kSuper = 4;
  cv::Mat big(size.height * kSuper, size.width * kSuper, CV_8U, cv::Scalar(0));
  std::vector<cv::Point> pts;
  // Pixel (i, j) covers [i-0.5, i+0.5): supersample (k+0.5)/4 - 0.5 offsets.
  for (const cv::Point2d& p : polygon) {
    pts.emplace_back(int(std::lround((p.x + 0.5) * kSuper - 0.5)),
                     int(std::lround((p.y + 0.5) * kSuper - 0.5)));
  }
  cv::fillPoly(big, std::vector<std::vector<cv::Point>>{pts}, cv::Scalar(255));
  cv::Mat small;
  cv::resize(big, small, size, 0, 0, cv::INTER_AREA);
  small.convertTo(small, CV_32F, 1.0 / 255.0);
  return small;
}

bool InsideEllipse(const cv::RotatedRect& e, cv::Point2d p) {
  const double a = e.angle * CV_PI / 180.0;
  const double dx = p.x - e.center.x, dy = p.y - e.center.y;
  const double u = (dx * std::cos(a) + dy * std::sin(a)) / (e.size.width / 2.0);
  const double v = (-dx * std::sin(a) + dy * std::cos(a)) / (e.size.height / 2.0);
  return u * u + v * v <= 1.0;
}

bool InsidePolygon(const std::vector<cv::Point2d>& poly, cv::Point2d p) {
  bool inside = false;
  for (size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
    if ((poly[i].y > p.y) != (poly[j].y > p.y) &&
        p.x < (poly[j].x - poly[i].x) * (p.y - poly[i].y) / (poly[j].y - poly[i].y) + poly[i].x) {
      inside = !inside;
    }
  }
  return inside;
}

void DrawStrand(cv::Mat& alpha, cv::Point2d p0, cv::Point2d p1, cv::Point2d p2, double width_px,
                double opacity) {
  // Sample the curve densely and take, per pixel, the distance to the nearest sample.
  const double length = cv::norm(p1 - p0) + cv::norm(p2 - p1);
  const int n = std::max(2, int(length * 2));
  std::vector<cv::Point2d> samples(n + 1);
  for (int k = 0; k <= n; ++k) {
    const double t = double(k) / n;
    samples[k] = (1 - t) * (1 - t) * p0 + 2 * (1 - t) * t * p1 + t * t * p2;
  }
  const double half = width_px / 2.0;
  for (const cv::Point2d& s : samples) {
    const int reach = int(std::ceil(half + 1.5));
    for (int j = std::max(0, int(s.y) - reach); j <= std::min(alpha.rows - 1, int(s.y) + reach); ++j) {
      float* row = alpha.ptr<float>(j);
      for (int i = std::max(0, int(s.x) - reach); i <= std::min(alpha.cols - 1, int(s.x) + reach); ++i) {
        const double d = std::hypot(i - s.x, j - s.y);
        // Box coverage of a 1-px pixel by a band of half-width `half`, linear ramp.
        const double coverage = std::clamp(half + 0.5 - d, 0.0, 1.0) * std::min(1.0, width_px);
        row[i] = std::max(row[i], static_cast<float>(opacity * coverage));
      }
    }
  }
}

}  // namespace needlescope::synth
