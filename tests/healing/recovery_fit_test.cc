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

}  // namespace
}  // namespace needlescope::healing
