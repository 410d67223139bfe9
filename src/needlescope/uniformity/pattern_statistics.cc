#include "needlescope/uniformity/pattern_statistics.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "needlescope/uniformity/distributions.h"
#include "needlescope/uniformity/point_index.h"

namespace needlescope::uniformity {
namespace {

// spatstat's Clark-Evans "cdf" correction: the mean of the Kaplan-Meier estimate of the
// nearest-neighbour distance distribution G, on [0, rmax]. spatstat evaluates G on a grid
// of 513 r values and takes a left-endpoint Stieltjes sum, which sits half a grid step
// below the continuous mean computed here: hence the - dr / 2 (README of the reference).
std::optional<double> KaplanMeierMeanNn(const std::vector<cv::Point2d>& points,
                                        const std::vector<double>& nn,
                                        const Window& window,
                                        double rmax) {
  struct Obs {
    double t;
    bool event;
  };
  std::vector<Obs> obs;
  const std::vector<double> boundary = window.DistancesToBoundary(points);
  for (size_t i = 0; i < points.size(); ++i) {
    const double b = boundary[i];
    obs.push_back({std::min(nn[i], b), nn[i] <= b});
  }
  std::sort(obs.begin(), obs.end(), [](const Obs& a, const Obs& b) { return a.t < b.t; });
  double survival = 1, weighted = 0, total = 0;
  size_t at_risk = obs.size();
  for (size_t i = 0; i < obs.size();) {
    size_t j = i;
    int events = 0;
    while (j < obs.size() && obs[j].t == obs[i].t) events += obs[j++].event;
    if (events > 0 && obs[i].t <= rmax) {
      const double next = survival * (1.0 - double(events) / double(at_risk));
      weighted += obs[i].t * (survival - next);
      total += survival - next;
      survival = next;
    }
    at_risk -= j - i;
    i = j;
  }
  if (!(total > 0)) return std::nullopt;
  return weighted / total - rmax / 512 / 2;
}

}  // namespace

Summary Summarise(std::vector<double> v) {
  Summary s;
  const double n = double(v.size());
  s.mean = std::accumulate(v.begin(), v.end(), 0.0) / n;
  double ss = 0;
  for (double x : v) ss += (x - s.mean) * (x - s.mean);
  s.sd = std::sqrt(ss / (n - 1));
  s.cv = s.mean > 0 ? s.sd / s.mean : 0;
  std::sort(v.begin(), v.end());
  s.min = v.front();
  s.max = v.back();
  s.median = v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
  return s;
}

std::vector<double> NearestNeighbourDistances(const std::vector<cv::Point2d>& points) {
  const PointIndex index(points);
  std::vector<double> d(points.size());
  for (size_t i = 0; i < points.size(); ++i) d[i] = index.NearestOther(i).second;
  return d;
}

ClarkEvans ComputeClarkEvans(const std::vector<cv::Point2d>& points,
                             const std::vector<double>& nn,
                             const Window& window) {
  const double n = double(points.size()), area = window.area();
  const double observed = std::accumulate(nn.begin(), nn.end(), 0.0) / n;
  const double expected = 0.5 * std::sqrt(area / n);  // mean NN distance of a Poisson process
  ClarkEvans ce;
  ce.naive = observed / expected;
  if (window.is_rectangle()) {
    ce.donnelly = observed / (expected + (0.0514 + 0.0412 / std::sqrt(n)) * window.perimeter() / n);
  }
  const cv::Rect2d frame = window.bounds();
  const double rmax = std::min(std::sqrt(std::log(1e5) / (CV_PI * n / area)),
                               std::hypot(frame.width, frame.height) / 2);
  if (const auto mean = KaplanMeierMeanNn(points, nn, window, rmax)) {
    ce.cdf = *mean / expected;
  } else {
    ce.cdf_note =
        "every nearest-neighbour distance is censored (longer than the point's distance to the "
        "window edge)";
  }
  const double se = std::sqrt((4 - CV_PI) * area / (4 * CV_PI)) / n;
  ce.z = (observed - expected) / se;
  ce.p_two_sided = 2 * NormalCdf(-std::abs(ce.z));
  return ce;
}

Quadrats ComputeQuadrats(const std::vector<cv::Point2d>& points, const Window& window, int k) {
  Quadrats q;
  q.k = k;
  const cv::Rect2d f = window.bounds();
  auto breaks = [k](double lo, double size) {
    std::vector<double> b(size_t(k) + 1);
    for (int i = 0; i <= k; ++i) b[size_t(i)] = lo + size * i / k;
    b.back() = lo + size;
    return b;
  };
  const std::vector<double> xb = breaks(f.x, f.width), yb = breaks(f.y, f.height);
  // [a, b) except the last cell, closed: upper_bound finds the first break above the value.
  auto cell = [k](const std::vector<double>& b, double v) {
    const int i = int(std::upper_bound(b.begin(), b.end(), v) - b.begin()) - 1;
    return std::clamp(i, 0, k - 1);
  };
  q.counts.assign(size_t(k), std::vector<int>(size_t(k), 0));
  q.cell_area_in_window.assign(size_t(k), std::vector<double>(size_t(k), 0));
  for (int iy = 0; iy < k; ++iy) {
    for (int ix = 0; ix < k; ++ix) {
      const Polygon c = {
          {xb[ix], yb[iy]}, {xb[ix + 1], yb[iy]}, {xb[ix + 1], yb[iy + 1]}, {xb[ix], yb[iy + 1]}};
      q.cell_area_in_window[iy][ix] =
          window.is_rectangle() ? (xb[ix + 1] - xb[ix]) * (yb[iy + 1] - yb[iy])
                                : std::abs(SignedArea(ClipToConvex(window.vertices(), c)));
    }
  }
  for (const cv::Point2d& p : points) ++q.counts[size_t(cell(yb, p.y))][size_t(cell(xb, p.x))];
  double used_area = 0;
  std::vector<double> counts, areas;
  for (int iy = 0; iy < k; ++iy) {
    for (int ix = 0; ix < k; ++ix) {
      if (q.cell_area_in_window[iy][ix] > 0) {
        used_area += q.cell_area_in_window[iy][ix];
        counts.push_back(q.counts[iy][ix]);
        areas.push_back(q.cell_area_in_window[iy][ix]);
      } else {
        q.counts[iy][ix] = -1;
      }
    }
  }
  q.cells_used = int(counts.size());
  const double n = double(points.size());
  q.mean = n / q.cells_used;
  double ss = 0, crowding = 0;
  q.min_expected = n;
  for (size_t c = 0; c < counts.size(); ++c) {
    const double expected = n * areas[c] / used_area;
    q.min_expected = std::min(q.min_expected, expected);
    q.chi2 += (counts[c] - expected) * (counts[c] - expected) / expected;
    ss += (counts[c] - q.mean) * (counts[c] - q.mean);
    crowding += counts[c] * (counts[c] - 1);
  }
  q.sd = q.cells_used > 1 ? std::sqrt(ss / (q.cells_used - 1)) : 0;
  q.cv = q.sd / q.mean;
  q.df = q.cells_used - 1;
  if (q.df >= 1) {
    q.p_clustered = ChiSquaredSurvival(q.chi2, q.df);
    q.p_regular = ChiSquaredCdf(q.chi2, q.df);
    q.p_two_sided = std::min(1.0, 2 * std::min(q.p_clustered, q.p_regular));
  } else {
    q.p_clustered = q.p_regular = q.p_two_sided = 1;
  }
  q.morisita = n > 1 ? q.cells_used * crowding / (n * (n - 1)) : 0;
  return q;
}

}  // namespace needlescope::uniformity
