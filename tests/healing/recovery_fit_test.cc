#include "needlescope/healing/recovery_fit.h"

#include <gtest/gtest.h>

#include <cmath>

namespace needlescope::healing {
namespace {

TEST(RecoveryFit, RecoversAKnownHalfLife) {
  const std::vector<double> days = {0, 2, 5, 9, 14};
  std::vector<double> excess;
  for (double d : days)
    excess.push_back(0.2 * std::exp(-std::log(2.0) / 3.5 * d));  // half-life 3.5 days
  std::string why;
  const auto fit = FitExponentialRecovery(days, excess, &why);
  ASSERT_TRUE(fit.has_value()) << why;
  EXPECT_NEAR(fit->half_life_days, 3.5, 1e-6);
  EXPECT_NEAR(fit->initial_excess, 0.2, 1e-8);
  EXPECT_NEAR(fit->r_squared, 1.0, 1e-9);
}

TEST(RecoveryFit, NoisyLatePointsAroundZeroStillFit) {
  const std::vector<double> days = {0, 1, 3, 7, 30};
  const std::vector<double> excess = {0.15, 0.11, 0.07, 0.03,
                                      -0.004};  // the last one below baseline
  std::string why;
  const auto fit = FitExponentialRecovery(days, excess, &why);
  ASSERT_TRUE(fit.has_value()) << why;
  EXPECT_GT(fit->half_life_days, 1.5);
  EXPECT_LT(fit->half_life_days, 4.0);
  EXPECT_GT(fit->r_squared, 0.95);
}

TEST(RecoveryFit, SaysWhyItCannotFit) {
  std::string why;
  EXPECT_FALSE(FitExponentialRecovery({0, 1}, {0.1, 0.05}, &why).has_value());
  EXPECT_EQ(why, "needs at least 3 time points");
  EXPECT_FALSE(FitExponentialRecovery({2, 2, 2}, {0.1, 0.05, 0.02}, &why).has_value());
  EXPECT_EQ(why, "all photos have the same time");
}

// Against the first photo (no untreated skin): the redness lost since day 0, a (1 - e^-kt).
// The same curve as above seen that way gives the same half-life and excess.
TEST(RecoveryFromFirst, RecoversAKnownHalfLifeFromTheDropSinceTheFirstPhoto) {
  const std::vector<double> days = {0, 2, 5, 9, 14};
  std::vector<double> drop;
  for (double d : days) drop.push_back(0.2 - 0.2 * std::exp(-std::log(2.0) / 3.5 * d));
  std::string why;
  const auto fit = FitRecoveryFromFirst(days, drop, &why);
  ASSERT_TRUE(fit.has_value()) << why;
  EXPECT_NEAR(fit->half_life_days, 3.5, 1e-6);
  EXPECT_NEAR(fit->initial_excess, 0.2, 1e-8);
  EXPECT_NEAR(fit->r_squared, 1.0, 1e-9);
}

TEST(RecoveryFromFirst, SaysWhenTheHalfLifeIsNotMeasurable) {
  std::string why;
  // Falling in a straight line: no curvature, no half-life.
  EXPECT_FALSE(FitRecoveryFromFirst({0, 5, 10, 15}, {0, 0.01, 0.02, 0.03}, &why).has_value());
  EXPECT_NE(why.find("without slowing"), std::string::npos) << why;
  // All gone by the second photo.
  EXPECT_FALSE(FitRecoveryFromFirst({0, 5, 10, 15}, {0, 0.1, 0.1, 0.1}, &why).has_value());
  EXPECT_NE(why.find("gone by the second photo"), std::string::npos) << why;
  EXPECT_FALSE(FitRecoveryFromFirst({0, 5, 10}, {0, -0.01, -0.02}, &why).has_value());
  EXPECT_EQ(why, "no photo has less redness than the first");
  EXPECT_FALSE(FitRecoveryFromFirst({1, 5, 10}, {0, 0.05, 0.07}, &why).has_value());
  EXPECT_EQ(why, "the first photo must be at day 0 and the others later");
  EXPECT_FALSE(FitRecoveryFromFirst({0, -2, 5, 10}, {0, 0.01, 0.05, 0.07}, &why).has_value());  // taken before it
  EXPECT_EQ(why, "the first photo must be at day 0 and the others later");
}

}  // namespace
}  // namespace needlescope::healing
