#include "needlescope/validate/stamp_fit.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "needlescope/uniformity/point_index.h"

namespace needlescope::validate {
namespace {

int Find(std::vector<int>& parent, int i) {
  while (parent[i] != i) i = parent[i] = parent[parent[i]];
  return i;
}

struct Pose {
  double angle = 0, scale = 0;  // radians; px per mm
  cv::Point2d shift;
  cv::Point2d Apply(const cv::Point2d& p) const {
    const double c = std::cos(angle) * scale, s = std::sin(angle) * scale;
    return {p.x * c - p.y * s + shift.x, p.x * s + p.y * c + shift.y};
  }
};

// The pose taking layout point a to photo point pa and b to pb (scale fixed when > 0).
Pose PoseFromPair(cv::Point2d a, cv::Point2d b, cv::Point2d pa, cv::Point2d pb, double fixed_scale) {
  Pose pose;
  const cv::Point2d d = b - a, pd = pb - pa;
  pose.angle = std::atan2(pd.y, pd.x) - std::atan2(d.y, d.x);
  pose.scale = fixed_scale > 0 ? fixed_scale : cv::norm(pd) / cv::norm(d);
  const cv::Point2d mid_layout = 0.5 * (a + b), mid_photo = 0.5 * (pa + pb);
  Pose rotate_only = pose;
  rotate_only.shift = {0, 0};
  pose.shift = mid_photo - rotate_only.Apply(mid_layout);
  return pose;
}

// Least-squares similarity (Umeyama) from matched layout points to photo points; the scale
// kept when fixed_scale > 0.
Pose FitPose(const std::vector<cv::Point2d>& from, const std::vector<cv::Point2d>& to, double fixed_scale) {
  cv::Point2d mf(0, 0), mt(0, 0);
  for (size_t i = 0; i < from.size(); ++i) mf += from[i], mt += to[i];
  mf *= 1.0 / from.size();
  mt *= 1.0 / to.size();
  double sxx = 0, sxy = 0, var = 0;  // cross terms of the centred sets
  for (size_t i = 0; i < from.size(); ++i) {
    const cv::Point2d f = from[i] - mf, t = to[i] - mt;
    sxx += f.x * t.x + f.y * t.y;
    sxy += f.x * t.y - f.y * t.x;
    var += f.dot(f);
  }
  Pose pose;
  pose.angle = std::atan2(sxy, sxx);
  pose.scale = fixed_scale > 0 ? fixed_scale : std::hypot(sxx, sxy) / var;
  Pose rotate_only = pose;
  rotate_only.shift = {0, 0};
  pose.shift = mt - rotate_only.Apply(mf);
  return pose;
}

// Needle -> hole matches under a pose: each needle to its nearest unclaimed hole within
// match_px, needles taken in order of their distance (so the closest pairs win).
std::vector<int> Match(const Pose& pose, const CartridgeLayout& layout, const std::vector<cv::Point2d>& holes,
                       const std::vector<int>& cluster, double match_px, double* rms) {
  struct Pair {
    double d;
    int needle, hole;
  };
  std::vector<Pair> pairs;
  for (int n = 0; n < int(layout.needles_mm.size()); ++n) {
    const cv::Point2d p = pose.Apply(layout.needles_mm[n]);
    for (int h : cluster) {
      const double d = cv::norm(p - holes[h]);
      if (d <= match_px) pairs.push_back({d, n, h});
    }
  }
  std::sort(pairs.begin(), pairs.end(), [](const Pair& a, const Pair& b) {
    return a.d != b.d ? a.d < b.d : (a.needle != b.needle ? a.needle < b.needle : a.hole < b.hole);
  });
  std::vector<int> hole_of(layout.needles_mm.size(), -1);
  std::vector<int> claimed;
  double sum = 0;
  int matched = 0;
  for (const Pair& p : pairs) {
    if (hole_of[p.needle] >= 0 || std::find(claimed.begin(), claimed.end(), p.hole) != claimed.end()) continue;
    hole_of[p.needle] = p.hole;
    claimed.push_back(p.hole);
    sum += p.d * p.d;
    ++matched;
  }
  *rms = matched ? std::sqrt(sum / matched) : INFINITY;
  return hole_of;
}

int Count(const std::vector<int>& hole_of) {
  return static_cast<int>(std::count_if(hole_of.begin(), hole_of.end(), [](int h) { return h >= 0; }));
}

}  // namespace

std::vector<std::vector<int>> ClusterHoles(const std::vector<cv::Point2d>& holes, double link_px) {
  const int n = static_cast<int>(holes.size());
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  const uniformity::PointIndex index(holes);
  for (int i = 0; i < n; ++i) {
    index.ForEachWithin(holes[i], link_px, i, [&](int j) { parent[Find(parent, i)] = Find(parent, j); });
  }
  std::vector<std::vector<int>> clusters;
  std::vector<int> cluster_of_root(n, -1);
  for (int i = 0; i < n; ++i) {
    const int root = Find(parent, i);
    if (cluster_of_root[root] < 0) {
      cluster_of_root[root] = static_cast<int>(clusters.size());
      clusters.emplace_back();
    }
    clusters[cluster_of_root[root]].push_back(i);
  }
  return clusters;
}

StampFit FitStamp(const std::vector<cv::Point2d>& holes, const std::vector<int>& cluster,
                  const CartridgeLayout& layout, double pitch_px, double px_per_mm, double match_px) {
  StampFit fit;
  if (cluster.size() < 2) return fit;
  const double start_scale = px_per_mm > 0 ? px_per_mm : pitch_px / layout.pitch_mm;
  // Neighbouring holes (within 1.5 pitches) propose; layout pairs as far apart (±25 %) answer.
  // The proposing holes are the six nearest the cluster's median point: a speck at the edge
  // proposes nothing, and six anchors bound the work (poses x matches) per stamp.
  std::vector<double> xs, ys;
  for (int h : cluster) xs.push_back(holes[h].x), ys.push_back(holes[h].y);
  std::nth_element(xs.begin(), xs.begin() + xs.size() / 2, xs.end());
  std::nth_element(ys.begin(), ys.begin() + ys.size() / 2, ys.end());
  const cv::Point2d middle(xs[xs.size() / 2], ys[ys.size() / 2]);
  std::vector<int> anchors = cluster;
  std::stable_sort(anchors.begin(), anchors.end(),
                   [&](int a, int b) { return cv::norm(holes[a] - middle) < cv::norm(holes[b] - middle); });
  anchors.resize(std::min<size_t>(anchors.size(), 6));
  std::vector<std::pair<int, int>> hole_pairs;
  for (int a : anchors) {
    for (int b : cluster) {
      if (a != b && cv::norm(holes[a] - holes[b]) <= 1.5 * pitch_px) hole_pairs.emplace_back(a, b);
    }
  }
  const int m = static_cast<int>(layout.needles_mm.size());
  Pose best;
  int best_count = -1;
  double best_rms = INFINITY;
  for (const auto& [a, b] : hole_pairs) {
    const double d_photo = cv::norm(holes[a] - holes[b]) / start_scale;  // in layout mm
    for (int i = 0; i < m; ++i) {
      for (int j = 0; j < m; ++j) {
        if (i == j) continue;
        const double d_layout = cv::norm(layout.needles_mm[i] - layout.needles_mm[j]);
        if (std::abs(d_layout - d_photo) > 0.25 * d_layout) continue;
        const Pose pose = PoseFromPair(layout.needles_mm[i], layout.needles_mm[j], holes[a], holes[b], start_scale);
        double rms = 0;
        const int count = Count(Match(pose, layout, holes, cluster, match_px, &rms));
        if (count > best_count || (count == best_count && rms < best_rms - 1e-12)) {
          best = pose;
          best_count = count;
          best_rms = rms;
        }
      }
    }
  }
  if (best_count < 2) return fit;
  // Refine on the matches, twice (the matches may change once the pose is better).
  for (int round = 0; round < 2; ++round) {
    double rms = 0;
    const std::vector<int> hole_of = Match(best, layout, holes, cluster, match_px, &rms);
    std::vector<cv::Point2d> from, to;
    for (int n = 0; n < m; ++n) {
      if (hole_of[n] >= 0) from.push_back(layout.needles_mm[n]), to.push_back(holes[hole_of[n]]);
    }
    if (from.size() >= 2) best = FitPose(from, to, px_per_mm);
  }
  fit.hole_of_needle = Match(best, layout, holes, cluster, match_px, &fit.residual_px);
  fit.fitted = true;
  fit.x = best.shift.x;
  fit.y = best.shift.y;
  fit.angle_deg = std::fmod(best.angle * 180 / CV_PI + 720.0, 360.0);
  fit.px_per_mm = best.scale;
  fit.unexplained_holes = static_cast<int>(cluster.size()) - Count(fit.hole_of_needle);
  for (const cv::Point2d& n : layout.needles_mm) fit.needles_px.push_back(best.Apply(n));
  return fit;
}

}  // namespace needlescope::validate
