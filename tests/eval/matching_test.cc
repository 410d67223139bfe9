#include "needlescope/eval/matching.h"

#include <algorithm>
#include <numeric>

#include <gtest/gtest.h>
#include <opencv2/core.hpp>

#include "needlescope/eval/assignment.h"

namespace needlescope::eval {
namespace {

TEST(Assignment, MatchesBruteForceOnRandomMatrices) {
  cv::RNG rng(3);
  for (int trial = 0; trial < 200; ++trial) {
    const int n = rng.uniform(1, 6), m = n + rng.uniform(0, 3);
    std::vector<std::vector<double>> cost(n, std::vector<double>(m));
    for (auto& row : cost) for (double& c : row) c = rng.uniform(0.0, 10.0);
    const std::vector<int> got = SolveAssignment(cost);
    double got_cost = 0;
    for (int i = 0; i < n; ++i) got_cost += cost[i][got[i]];
    std::vector<int> cols(m);
    std::iota(cols.begin(), cols.end(), 0);
    double best = 1e18;
    do {
      double c = 0;
      for (int i = 0; i < n; ++i) c += cost[i][cols[i]];
      best = std::min(best, c);
    } while (std::next_permutation(cols.begin(), cols.end()));
    EXPECT_NEAR(got_cost, best, 1e-9);
  }
}

TEST(MatchPoints, RadiusIsMax3PxOr1Point5TimesTrueRadius) {
  EXPECT_EQ(MatchRadius({0, 0, 1.0, true}), 3.0);
  EXPECT_EQ(MatchRadius({0, 0, 4.0, true}), 6.0);
  const std::vector<TruthPoint> truth = {{10, 10, 1.0, true}, {50, 50, 4.0, true}};
  EXPECT_EQ(MatchPoints(truth, {{12.99, 10}, {55.9, 50}}).size(), 2u);   // just inside
  EXPECT_EQ(MatchPoints(truth, {{13.01, 10}, {56.1, 50}}).size(), 0u);   // just outside
}

TEST(MatchPoints, OptimalWhereGreedyNearestFails) {
  // Greedy would pair the closest couple (detection 0 with truth 1) and leave two unmatched.
  const std::vector<TruthPoint> truth = {{0, 0, 2.0, true}, {4, 0, 2.0, true}};
  const std::vector<DetectedPoint> detections = {{2.5, 0}, {6.5, 0}};
  const auto matches = MatchPoints(truth, detections);
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_EQ(matches[0].detection, 0);
  EXPECT_EQ(matches[1].detection, 1);
}

TEST(MatchPoints, PrefersRequiredPointOverOptionalOne) {
  const std::vector<TruthPoint> truth = {{0, 0, 1.0, false}, {4, 0, 1.0, true}};
  const auto matches = MatchPoints(truth, {{1.0, 0}});  // nearer the optional point
  ASSERT_EQ(matches.size(), 1u);
  EXPECT_EQ(matches[0].truth, 1);
}

TEST(MatchPoints, AmongEqualCountsTakesLeastDistance) {
  const std::vector<TruthPoint> truth = {{0, 0, 2.0, true}, {2, 0, 2.0, true}};
  const auto matches = MatchPoints(truth, {{0.2, 0}, {2.1, 0}});
  ASSERT_EQ(matches.size(), 2u);
  EXPECT_NEAR(matches[0].distance_px + matches[1].distance_px, 0.3, 1e-12);
}

}  // namespace
}  // namespace needlescope::eval
