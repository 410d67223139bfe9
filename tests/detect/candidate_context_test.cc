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
  // The lone candidate has no context at all.
  for (const char* name : kContextFeatureNames) {
    if (std::string(name) != "stage1_score") {
      EXPECT_EQ(f.at<float>(5, Column(name)), 0.f) << name;
    }
  }
  // The first columns are the candidate's own features.
  EXPECT_FLOAT_EQ(f.at<float>(2, 1), 0.4f);  // response
}

// The features describe the neighbourhood, not the list: reversing the candidates' order
// reverses the rows and changes nothing else.
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
