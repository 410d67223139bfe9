#pragma once

#include <vector>

namespace needlescope::eval {

struct TruthPoint {
  double x = 0, y = 0;
  double radius_px = 0;
  bool required = true;  // false: a match neither counts as a hit nor a false positive
};

struct DetectedPoint {
  double x = 0, y = 0;
};

struct Match {
  int truth = -1;
  int detection = -1;
  double distance_px = 0;
};

// Radius within which a detection may match truth point t: max(3 px, 1.5 x its radius).
double MatchRadius(const TruthPoint& t);

// Optimal one-to-one matching of detections to truth points within MatchRadius. Among all
// matchings it takes one with (1) the most matches of required points, then (2) the most
// matches overall (so a detection of an optional point is not a false positive), then
// (3) the least total distance. Solved exactly by the Hungarian algorithm per connected
// component of the "within radius" graph (components are small, so it is fast).
// Returned sorted by truth index.
std::vector<Match> MatchPoints(const std::vector<TruthPoint>& truth,
                               const std::vector<DetectedPoint>& detections);

}  // namespace needlescope::eval
