#include "needlescope/detect/candidate_context.h"

#include <gtest/gtest.h>

namespace needlescope::detect {
namespace {

Candidate At(double x, double y, double response) {
  Candidate c;
  c.x = x;
  c.y = y;
  c.response = response;
  return c;
}

int Column(const char* name) {
  for (size_t i = 0; i < kContextFeatureNames.size(); ++i) {
    if (std::string(kContextFeatureNames[i]) == name) return int(kCandidateFeatureNames.size() + i);
  }
  ADD_FAILURE() << name;
  return 0;
}

// One candidate with neighbours at 2, 10, 25 and 50 px and one far away: each radius counts
// exactly the neighbours inside it, and a candidate never counts itself.
TEST(CandidateContext, SumsAndCountsTheNeighboursInsideEachRadius) {
  const std::vector<Candidate> c = {At(100, 100, 0.3), At(102, 100, 0.2), At(100, 110, 0.4), At(125, 100, 0.1),
                                    At(100, 150, 0.1), At(400, 400, 0.5)};
  const std::vector<double> s1 = {0.6, 0.9, 0.5, 0.25, 0.125, 1.0};
  const cv::Mat f = ContextFeatureMatrix(c, s1);
  ASSERT_EQ(f.rows, 6);
  ASSERT_EQ(f.cols, int(kCandidateFeatureNames.size() + kContextFeatureNames.size()));
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("stage1_score")), 0.6f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("best_neighbour_score_4px")), 0.9f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("neighbour_score_sum_12px")), 1.4f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("neighbour_score_sum_30px")), 1.65f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("neighbour_score_sum_60px")), 1.775f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("neighbours_12px")), 2.f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("neighbours_60px")), 4.f);
  EXPECT_FLOAT_EQ(f.at<float>(0, Column("response_over_neighbours_12px")), float(0.3 / 0.3));
  // The lone candidate has no context at all: no stronger neighbour within 12 px reads as
  // one 12 px away (over a radius of at least 1).
  for (const char* name : kContextFeatureNames) {
    const std::string n = name;
    if (n != "stage1_score" && n != "stronger_neighbour_distance_over_radius") {
      EXPECT_EQ(f.at<float>(5, Column(name)), 0.f) << name;
    }
  }
  EXPECT_FLOAT_EQ(f.at<float>(5, Column("stronger_neighbour_distance_over_radius")), 12.f);
  // The first columns are the candidate's own features.
  EXPECT_FLOAT_EQ(f.at<float>(2, 1), 0.4f);  // response
}

// The nearest candidate that scored higher in stage 1, not the nearest candidate nor the
// strongest: a weaker neighbour closer by and a stronger one farther out are ignored.
TEST(CandidateContext, FindsTheNearestStrongerNeighbour) {
  std::vector<Candidate> c = {At(100, 100, 0.3), At(101, 100, 0.1), At(100, 103, 0.2), At(100, 108, 0.5),
                              At(100, 120, 0.5)};
  for (Candidate& each : c) each.radius_px = 2;
  const std::vector<double> s1 = {0.5, 0.2, 0.7, 0.9, 1.0};
  const cv::Mat f = ContextFeatureMatrix(c, s1);
  const int distance = Column("stronger_neighbour_distance_over_radius");
  const int score = Column("stronger_neighbour_score");
  EXPECT_FLOAT_EQ(f.at<float>(0, distance), 1.5f);  // candidate 2, 3 px away, radius 2
  EXPECT_FLOAT_EQ(f.at<float>(0, score), 0.7f);
  EXPECT_FLOAT_EQ(f.at<float>(2, distance), 2.5f);  // candidate 3, 5 px away
  EXPECT_FLOAT_EQ(f.at<float>(2, score), 0.9f);
  // Candidate 4 is 12 px from candidate 3: outside the 12 px reach, so 3 has none.
  EXPECT_FLOAT_EQ(f.at<float>(3, distance), 6.f);
  EXPECT_FLOAT_EQ(f.at<float>(3, score), 0.f);
}

// The features describe the neighbourhood, not the list: reversing the candidates' order
// reverses the rows and changes nothing else (with no two stage-1 scores equal: a tie is
// broken by list order, candidate_context.h).
TEST(CandidateContext, DoesNotDependOnTheOrderOfTheCandidates) {
  cv::RNG rng(5);
  std::vector<Candidate> c;
  std::vector<double> s1;
  for (int i = 0; i < 400; ++i) {
    c.push_back(At(rng.uniform(0.0, 300.0), rng.uniform(0.0, 200.0), rng.uniform(0.05, 0.5)));
    s1.push_back(rng.uniform(0.0, 1.0));
  }
  const cv::Mat forward = ContextFeatureMatrix(c, s1);
  std::reverse(c.begin(), c.end());
  std::reverse(s1.begin(), s1.end());
  const cv::Mat backward = ContextFeatureMatrix(c, s1);
  for (int i = 0; i < forward.rows; ++i) {
    for (int j = 0; j < forward.cols; ++j) {
      EXPECT_NEAR(forward.at<float>(i, j), backward.at<float>(forward.rows - 1 - i, j), 1e-5) << i << "," << j;
    }
  }
}

}  // namespace
}  // namespace needlescope::detect
