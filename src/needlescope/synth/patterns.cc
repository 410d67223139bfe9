#include "needlescope/synth/patterns.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/synth/layers.h"

namespace needlescope::synth {

Cartridge MakeCartridge(const std::string& name, double pitch_px) {
  Cartridge c;
  c.name = name;
  c.pitch_px = pitch_px;
  if (name == "circle12") {
    const double radius = pitch_px / (2.0 * std::sin(CV_PI / 12.0));
    for (int k = 0; k < 12; ++k) {
      c.needles.emplace_back(radius * std::cos(2 * CV_PI * k / 12), radius * std::sin(2 * CV_PI * k / 12));
    }
  } else {
    const int side = name == "grid36" ? 6 : 3;
    for (int j = 0; j < side; ++j) {
      for (int i = 0; i < side; ++i) {
        c.needles.emplace_back((i - (side - 1) / 2.0) * pitch_px, (j - (side - 1) / 2.0) * pitch_px);
      }
    }
  }
  return c;
}

std::vector<cv::Point2d> DrawTreatedPolygon(cv::Size size, double area_fraction, double margin_px,
                                            cv::RNG& rng) {
  const double cx = size.width * rng.uniform(0.4, 0.6), cy = size.height * rng.uniform(0.4, 0.6);
  const double aspect = rng.uniform(0.6, 1.4);
  const double base = std::sqrt(area_fraction * size.width * size.height / CV_PI);
  const double rx = base * std::sqrt(aspect), ry = base / std::sqrt(aspect);
  const double tilt = rng.uniform(0.0, CV_PI);
  const int n = rng.uniform(9, 15);
  std::vector<cv::Point2d> polygon;
  for (int k = 0; k < n; ++k) {
    const double t = 2 * CV_PI * (k + rng.uniform(-0.25, 0.25)) / n;
    const double wobble = rng.uniform(0.82, 1.12);
    const double ex = rx * wobble * std::cos(t), ey = ry * wobble * std::sin(t);
    const double x = cx + ex * std::cos(tilt) - ey * std::sin(tilt);
    const double y = cy + ex * std::sin(tilt) + ey * std::cos(tilt);
    polygon.emplace_back(std::clamp(x, margin_px, size.width - 1 - margin_px),
                         std::clamp(y, margin_px, size.height - 1 - margin_px));
  }
  return polygon;  // star-shaped around (cx, cy) with increasing angles: simple
}

std::vector<cv::Point2d> StampNeedles(const Cartridge& cartridge, const Stamp& stamp) {
  const double a = stamp.angle_deg * CV_PI / 180.0, ca = std::cos(a), sa = std::sin(a);
  std::vector<cv::Point2d> points;
  for (const cv::Point2d& n : cartridge.needles) {
    points.emplace_back(stamp.x + n.x * ca - n.y * sa, stamp.y + n.x * sa + n.y * ca);
  }
  return points;
}

void DrawStrokeStamps(const std::vector<cv::Point2d>& polygon, const Cartridge& cartridge,
                      cv::RNG& rng, Pattern& pattern) {
  double extent = 0;
  for (const cv::Point2d& n : cartridge.needles) extent = std::max(extent, cv::norm(n));
  const double diameter = 2 * extent + cartridge.pitch_px;
  const double spacing = diameter * rng.uniform(0.7, 1.0);  // between passes
  const double step = diameter * rng.uniform(0.45, 0.8);    // between stamps along a pass
  const double direction = rng.uniform(0.0, CV_PI);
  const cv::Point2d along(std::cos(direction), std::sin(direction));
  const cv::Point2d across(-along.y, along.x);

  cv::Point2d centre(0, 0);
  for (const cv::Point2d& p : polygon) centre += p;
  centre *= 1.0 / polygon.size();
  double reach = 0;
  for (const cv::Point2d& p : polygon) reach = std::max(reach, cv::norm(p - centre));

  for (double s = -reach; s <= reach; s += spacing) {
    const double pass_offset = rng.uniform(-0.15, 0.15) * spacing;
    for (double t = -reach + rng.uniform(0.0, step); t <= reach; t += step * rng.uniform(0.85, 1.15)) {
      const double jitter_y = rng.gaussian(0.12 * step), jitter_x = rng.gaussian(0.12 * step);  // GCC's order
      const cv::Point2d c = centre + along * t + across * (s + pass_offset) + cv::Point2d(jitter_x, jitter_y);
      if (!InsidePolygon(polygon, c)) continue;
      pattern.stamps.push_back({c.x, c.y, rng.uniform(0.0, 360.0)});
    }
  }
}

std::vector<cv::Point2d> DrawScatter(const std::vector<cv::Point2d>& polygon,
                                     double density_per_mpx, cv::RNG& rng) {
  cv::Rect2d box = cv::boundingRect(std::vector<cv::Point2f>(polygon.begin(), polygon.end()));
  const double expected = density_per_mpx * box.area() / 1e6;
  // Poisson count by summing exponential gaps (deterministic from the rng).
  int n = 0;
  for (double t = -std::log(1.0 - rng.uniform(0.0, 1.0)); t < expected;
       t += -std::log(1.0 - rng.uniform(0.0, 1.0))) {
    ++n;
  }
  std::vector<cv::Point2d> points;
  for (int k = 0; k < n; ++k) {
    const double y = rng.uniform(0.0, box.height), x = rng.uniform(0.0, box.width);  // GCC's order
    const cv::Point2d p(box.x + x, box.y + y);
    if (InsidePolygon(polygon, p)) points.push_back(p);
  }
  return points;
}

bool AddPuncture(std::vector<TruthPuncture>& punctures, const TruthPuncture& p) {
  for (TruthPuncture& q : punctures) {
    if (std::hypot(q.x - p.x, q.y - p.y) < 1.5 * std::max(q.radius_px, p.radius_px)) {
      q.amplitude = std::max(q.amplitude, p.amplitude) + 0.1;
      q.faint = q.faint && p.faint;
      return false;
    }
  }
  punctures.push_back(p);
  return true;
}

}  // namespace needlescope::synth
