#include "needlescope/validate/infer_layout.h"

#include <algorithm>
#include <cmath>

#include "needlescope/validate/stamp_fit.h"

namespace needlescope::validate {
namespace {

// Points in the frame of a fitted stamp: the inverse of the fit's layout -> photo map, in the
// reference's units (pitches).
cv::Point2d ToReference(const StampFit& fit, const cv::Point2d& p) {
  const double a = -fit.angle_deg * CV_PI / 180, c = std::cos(a), s = std::sin(a);
  const cv::Point2d d = (p - cv::Point2d(fit.x, fit.y)) * (1.0 / fit.px_per_mm);
  return {d.x * c - d.y * s, d.x * s + d.y * c};
}

// The lattice the points lie on, if they do: two basis vectors from the nearest-neighbour
// offsets (the shortest, then the shortest not parallel to it), refined by least squares on
// every point's node (origin + i a + j b); true when every point is within 0.15 pitch of its
// node. nodes: each point's (i, j).
bool FitLattice(const std::vector<cv::Point2d>& points, cv::Point2d* origin, cv::Point2d* a, cv::Point2d* b,
                std::vector<cv::Point2i>* nodes) {
  std::vector<cv::Point2d> offsets;
  for (const cv::Point2d& p : points) {
    for (const cv::Point2d& q : points) {
      const cv::Point2d d = q - p;
      if (cv::norm(d) > 0.5 && cv::norm(d) < 1.6 && (d.x > 1e-9 || (std::abs(d.x) <= 1e-9 && d.y > 0))) offsets.push_back(d);
    }
  }
  if (offsets.size() < 2) return false;
  std::sort(offsets.begin(), offsets.end(), [](const cv::Point2d& u, const cv::Point2d& v) { return cv::norm(u) < cv::norm(v); });
  *a = offsets.front();
  const auto second = std::find_if(offsets.begin(), offsets.end(), [&](const cv::Point2d& d) {
    return std::abs(a->x * d.y - a->y * d.x) / (cv::norm(*a) * cv::norm(d)) > 0.5;
  });
  if (second == offsets.end()) return false;
  *b = *second;
  *origin = points.front();
  // Node indices from the first basis, grown outwards from the origin so that a slightly wrong
  // basis does not round a far point to the wrong node: refine, re-index, twice.
  for (int round = 0; round < 3; ++round) {
    const double det = a->x * b->y - a->y * b->x;
    nodes->clear();
    for (const cv::Point2d& p : points) {
      const cv::Point2d q = p - *origin;
      nodes->emplace_back(static_cast<int>(std::lround((q.x * b->y - q.y * b->x) / det)),
                          static_cast<int>(std::lround((a->x * q.y - a->y * q.x) / det)));
    }
    // Least squares for origin, a, b: p = o + i a + j b, per coordinate a 3-unknown system.
    cv::Mat design(static_cast<int>(points.size()), 3, CV_64F), xs(static_cast<int>(points.size()), 1, CV_64F),
        ys(static_cast<int>(points.size()), 1, CV_64F);
    for (int k = 0; k < design.rows; ++k) {
      design.at<double>(k, 0) = 1;
      design.at<double>(k, 1) = (*nodes)[k].x;
      design.at<double>(k, 2) = (*nodes)[k].y;
      xs.at<double>(k) = points[k].x;
      ys.at<double>(k) = points[k].y;
    }
    cv::Mat cx, cy;
    if (!cv::solve(design, xs, cx, cv::DECOMP_SVD) || !cv::solve(design, ys, cy, cv::DECOMP_SVD)) return false;
    *origin = {cx.at<double>(0), cy.at<double>(0)};
    *a = {cx.at<double>(1), cy.at<double>(1)};
    *b = {cx.at<double>(2), cy.at<double>(2)};
  }
  for (size_t k = 0; k < points.size(); ++k) {
    if (cv::norm(points[k] - (*origin + *a * (*nodes)[k].x + *b * (*nodes)[k].y)) > 0.15) return false;
  }
  return true;
}

// The ring the points lie on, if they do (a least-squares circle, every point within 0.15
// pitch of it), with its slots: the angular step is the median gap between neighbours, and
// every gap must be a whole number of steps. Adds the empty slots to `points`; returns how many.
int FillRing(std::vector<cv::Point2d>* points) {
  const std::vector<cv::Point2d>& p = *points;
  if (p.size() < 5) return 0;
  // Kasa fit: x² + y² = 2 cx x + 2 cy y + c.
  cv::Mat design(static_cast<int>(p.size()), 3, CV_64F), rhs(static_cast<int>(p.size()), 1, CV_64F), sol;
  for (int k = 0; k < design.rows; ++k) {
    design.at<double>(k, 0) = 2 * p[k].x;
    design.at<double>(k, 1) = 2 * p[k].y;
    design.at<double>(k, 2) = 1;
    rhs.at<double>(k) = p[k].x * p[k].x + p[k].y * p[k].y;
  }
  if (!cv::solve(design, rhs, sol, cv::DECOMP_SVD)) return 0;
  const cv::Point2d centre(sol.at<double>(0), sol.at<double>(1));
  const double radius = std::sqrt(sol.at<double>(2) + centre.dot(centre));
  std::vector<double> angles;
  for (const cv::Point2d& q : p) {
    if (std::abs(cv::norm(q - centre) - radius) > 0.15) return 0;
    angles.push_back(std::atan2(q.y - centre.y, q.x - centre.x));
  }
  std::sort(angles.begin(), angles.end());
  std::vector<double> gaps;
  for (size_t k = 0; k < angles.size(); ++k) {
    gaps.push_back(k + 1 < angles.size() ? angles[k + 1] - angles[k] : angles[0] + 2 * CV_PI - angles[k]);
  }
  std::vector<double> sorted = gaps;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  const int slots = static_cast<int>(std::lround(2 * CV_PI / sorted[sorted.size() / 2]));
  const double step = 2 * CV_PI / slots;
  int added = 0;
  for (size_t k = 0; k < gaps.size(); ++k) {
    const double steps = gaps[k] / step;
    if (std::abs(steps - std::round(steps)) > 0.15) return 0;  // not evenly spaced: leave it
  }
  for (size_t k = 0; k < gaps.size(); ++k) {
    for (int m = 1; m < static_cast<int>(std::lround(gaps[k] / step)); ++m) {
      const double a = angles[k] + m * step;
      points->push_back(centre + radius * cv::Point2d(std::cos(a), std::sin(a)));
      ++added;
    }
  }
  return added;
}

}  // namespace

InferredLayout InferLayout(const std::vector<cv::Point2d>& holes, double px_per_mm,
                           const std::vector<CartridgeLayout>& known) {
  InferredLayout out;
  if (holes.size() < 6) {
    out.why_not = "fewer than 6 holes";
    return out;
  }
  const double pitch_px = MedianNearestNeighbour(holes);
  std::vector<std::vector<int>> groups;
  for (std::vector<int>& g : ClusterHoles(holes, 2.5 * pitch_px)) {
    if (g.size() >= 3) groups.push_back(std::move(g));
  }
  if (groups.empty()) {
    out.why_not = "no group of 3 or more holes";
    return out;
  }
  const auto reference = std::max_element(groups.begin(), groups.end(),
                                          [](const auto& u, const auto& v) { return u.size() < v.size(); });
  // The reference group as a layout, in pitches around its centre.
  CartridgeLayout ref;
  ref.name = "reference";
  cv::Point2d centre(0, 0);
  for (int h : *reference) centre += holes[h];
  centre *= 1.0 / reference->size();
  for (int h : *reference) ref.needles_mm.push_back((holes[h] - centre) * (1.0 / pitch_px));
  DeriveLayoutGeometry(&ref);
  std::vector<cv::Point2d> mapped = ref.needles_mm;
  out.stamps_used = 1;
  for (const auto& g : groups) {
    if (&g == &*reference) continue;
    const StampFit fit = FitStamp(holes, g, ref, pitch_px, pitch_px, 0.35 * pitch_px);
    if (!fit.fitted || 2 * (static_cast<int>(g.size()) - fit.unexplained_holes) < static_cast<int>(g.size())) continue;
    for (int h : g) mapped.push_back(ToReference(fit, holes[h]));
    ++out.stamps_used;
  }
  // Needles: where holes of at least 30 % of the groups gather (within 0.35 pitch).
  std::vector<cv::Point2d> needles;
  for (const std::vector<int>& spot : ClusterHoles(mapped, 0.35)) {
    if (spot.size() < std::max<size_t>(1, static_cast<size_t>(std::ceil(0.3 * out.stamps_used)))) continue;
    cv::Point2d mean(0, 0);
    for (int i : spot) mean += mapped[i];
    needles.push_back(mean * (1.0 / spot.size()));
  }
  if (needles.size() < 3) {
    out.why_not = "the stamps agree on fewer than 3 needle places";
    return out;
  }
  cv::Point2d origin, a, b;
  std::vector<cv::Point2i> nodes;
  const bool lattice = FitLattice(needles, &origin, &a, &b, &nodes);
  if (lattice) {
    int i0 = nodes[0].x, i1 = i0, j0 = nodes[0].y, j1 = j0;
    for (const cv::Point2i& n : nodes) i0 = std::min(i0, n.x), i1 = std::max(i1, n.x), j0 = std::min(j0, n.y), j1 = std::max(j1, n.y);
    if ((i1 - i0 + 1) * (j1 - j0 + 1) <= 2 * static_cast<int>(needles.size())) {  // a filled block, not a sparse scatter
      for (int i = i0; i <= i1; ++i) {
        for (int j = j0; j <= j1; ++j) {
          if (std::find(nodes.begin(), nodes.end(), cv::Point2i(i, j)) != nodes.end()) continue;
          needles.push_back(origin + a * i + b * j);
          ++out.lattice_gaps_filled;
        }
      }
    }
  }
  if (!lattice) out.lattice_gaps_filled = FillRing(&needles);
  std::sort(needles.begin(), needles.end(), [](const cv::Point2d& u, const cv::Point2d& v) {
    return std::abs(u.y - v.y) > 0.35 ? u.y < v.y : u.x < v.x;
  });
  out.in_mm = px_per_mm > 0;
  out.layout.name = "auto";
  out.layout.description = "inferred from the photo's stamps (" + std::to_string(out.stamps_used) + " stamps)";
  out.layout.source = "needlescope validate --cartridge auto";
  const double unit = out.in_mm ? pitch_px / px_per_mm : 1.0;  // mm per pitch, or pitches
  for (const cv::Point2d& p : needles) out.layout.needles_mm.push_back(p * unit);
  DeriveLayoutGeometry(&out.layout);
  out.found = true;

  // Each known layout fitted to the inferred needles (in pitches).
  std::vector<cv::Point2d> inferred_pitches;
  for (const cv::Point2d& p : out.layout.needles_mm) inferred_pitches.push_back(p * (1.0 / out.layout.pitch_mm));
  std::vector<int> all(inferred_pitches.size());
  for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int>(i);
  for (const CartridgeLayout& k : known) {
    CartridgeLayout unit_layout = k;
    for (cv::Point2d& p : unit_layout.needles_mm) p *= 1.0 / k.pitch_mm;
    unit_layout.pitch_mm = 1;
    const StampFit fit = FitStamp(inferred_pitches, all, unit_layout, 1.0, 1.0, 0.2);
    LayoutMatch m;
    m.name = k.name;
    m.needles = static_cast<int>(k.needles_mm.size());
    if (fit.fitted) {
      m.matched = static_cast<int>(std::count_if(fit.hole_of_needle.begin(), fit.hole_of_needle.end(), [](int h) { return h >= 0; }));
      m.rms_pitch = fit.residual_px;
    }
    out.matches.push_back(m);
  }
  const int n = static_cast<int>(inferred_pitches.size());
  std::stable_sort(out.matches.begin(), out.matches.end(), [n](const LayoutMatch& u, const LayoutMatch& v) {
    // Best: every needle of both matched; then the most matched, fewest unmatched on either side.
    const int su = 2 * u.matched - u.needles - n, sv = 2 * v.matched - v.needles - n;
    return su != sv ? su > sv : u.rms_pitch < v.rms_pitch;
  });
  if (!out.matches.empty()) {
    const LayoutMatch& best = out.matches.front();
    if (best.matched == best.needles && best.needles == n && best.rms_pitch <= 0.1) {
      for (size_t k = 0; k < known.size(); ++k) {
        if (known[k].name == best.name) out.same_as_known = static_cast<int>(k);
      }
    }
  }
  return out;
}

}  // namespace needlescope::validate
