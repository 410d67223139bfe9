#include "needlescope/eval/matching.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "needlescope/eval/assignment.h"

namespace needlescope::eval {
namespace {

struct UnionFind {
  std::vector<int> parent;
  explicit UnionFind(int n) : parent(n) { std::iota(parent.begin(), parent.end(), 0); }
  int Find(int a) { return parent[a] == a ? a : parent[a] = Find(parent[a]); }
  void Join(int a, int b) { parent[Find(a)] = Find(b); }
};

struct Edge {
  int truth, detection;
  double distance;
};

// All (truth, detection) pairs within the truth point's radius, via a grid of buckets.
std::vector<Edge> CandidateEdges(const std::vector<TruthPoint>& truth,
                                 const std::vector<DetectedPoint>& detections) {
  double max_radius = 3.0;
  for (const TruthPoint& t : truth) max_radius = std::max(max_radius, MatchRadius(t));
  const double cell = max_radius;
  // Shifted as unsigned (a negative cell index shifted is undefined behaviour in C++17).
  auto key = [](long long cx, long long cy) {
    return static_cast<long long>((static_cast<unsigned long long>(cx) << 32) ^
                                  (static_cast<unsigned long long>(cy) & 0xffffffffULL));
  };
  std::unordered_map<long long, std::vector<int>> buckets;
  for (int d = 0; d < int(detections.size()); ++d) {
    buckets[key(std::llround(std::floor(detections[d].x / cell)),
                std::llround(std::floor(detections[d].y / cell)))].push_back(d);
  }
  std::vector<Edge> edges;
  for (int t = 0; t < int(truth.size()); ++t) {
    const long long cx = std::llround(std::floor(truth[t].x / cell));
    const long long cy = std::llround(std::floor(truth[t].y / cell));
    for (long long dy = -1; dy <= 1; ++dy) {
      for (long long dx = -1; dx <= 1; ++dx) {
        auto it = buckets.find(key(cx + dx, cy + dy));
        if (it == buckets.end()) continue;
        for (int d : it->second) {
          const double dist = std::hypot(detections[d].x - truth[t].x, detections[d].y - truth[t].y);
          if (dist <= MatchRadius(truth[t])) edges.push_back({t, d, dist});
        }
      }
    }
  }
  return edges;
}

}  // namespace

double MatchRadius(const TruthPoint& t) { return std::max(3.0, 1.5 * t.radius_px); }

std::vector<Match> MatchPoints(const std::vector<TruthPoint>& truth,
                               const std::vector<DetectedPoint>& detections) {
  const std::vector<Edge> edges = CandidateEdges(truth, detections);
  const int nt = int(truth.size());
  UnionFind components(nt + int(detections.size()));
  for (const Edge& e : edges) components.Join(e.truth, nt + e.detection);
  std::unordered_map<int, std::vector<Edge>> edges_by_component;
  for (const Edge& e : edges) edges_by_component[components.Find(e.truth)].push_back(e);

  // Costs: a required match is worth more than any number of optional ones' distances, an
  // optional match more than any distance; distances (< 1e3 px) break the remaining ties.
  constexpr double kRequiredReward = 1e9, kOptionalReward = 1e6;
  std::vector<Match> matches;
  for (auto& [root, component_edges] : edges_by_component) {
    std::vector<int> ts, ds;
    for (const Edge& e : component_edges) {
      ts.push_back(e.truth);
      ds.push_back(e.detection);
    }
    std::sort(ts.begin(), ts.end());
    ts.erase(std::unique(ts.begin(), ts.end()), ts.end());
    std::sort(ds.begin(), ds.end());
    ds.erase(std::unique(ds.begin(), ds.end()), ds.end());
    const bool truth_rows = ts.size() <= ds.size();
    const size_t rows = truth_rows ? ts.size() : ds.size();
    const size_t cols = (truth_rows ? ds.size() : ts.size()) + rows;  // + "unmatched" columns
    std::vector<std::vector<double>> cost(rows, std::vector<double>(cols, 0.0));
    for (size_t r = 0; r < rows; ++r) {
      for (size_t c = 0; c < cols - rows; ++c) cost[r][c] = 2 * kRequiredReward;  // no edge
    }
    for (const Edge& e : component_edges) {
      const size_t ti = std::lower_bound(ts.begin(), ts.end(), e.truth) - ts.begin();
      const size_t di = std::lower_bound(ds.begin(), ds.end(), e.detection) - ds.begin();
      const double reward = truth[e.truth].required ? kRequiredReward : kOptionalReward;
      (truth_rows ? cost[ti][di] : cost[di][ti]) = e.distance - reward;
    }
    const std::vector<int> assignment = SolveAssignment(cost);
    for (size_t r = 0; r < rows; ++r) {
      const size_t c = size_t(assignment[r]);
      if (c >= cols - rows || cost[r][c] >= kRequiredReward) continue;  // unmatched
      const int t = truth_rows ? ts[r] : ts[c];
      const int d = truth_rows ? ds[c] : ds[r];
      matches.push_back({t, d, std::hypot(detections[d].x - truth[t].x, detections[d].y - truth[t].y)});
    }
  }
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) { return a.truth < b.truth; });
  return matches;
}

}  // namespace needlescope::eval
