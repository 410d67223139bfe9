#pragma once

// Exponential recovery of excess redness over a series of sessions (docs/compare.md):
// excess(t) = a exp(-k t), fitted by least squares (Gauss-Newton from the log-linear fit).

#include <optional>
#include <string>
#include <vector>

namespace needlescope::healing {

struct RecoveryFit {
  double initial_excess = 0;  // a, at t = 0
  double rate_per_day = 0;    // k
  double half_life_days = 0;  // ln 2 / k (infinite when k <= 0: reported as absent)
  double r_squared = 0;       // 1 - SS_residual / SS_total on the excess itself
  double rmse = 0;            // of the excess
  int points = 0;
};

// Needs >= 3 points with distinct times and at least two positive excesses; else nullopt
// and *why says what is missing.
std::optional<RecoveryFit> FitExponentialRecovery(const std::vector<double>& days,
                                                  const std::vector<double>& excess,
                                                  std::string* why);

// Without untreated skin in the first photo there is no excess to follow, only how much
// redness each later photo has lost since the first (`series` on a close-up):
// drop(t) = a (1 - exp(-k t)), a = the first photo's excess over the level healing tends
// to. For each k, a is the least-squares a; k is searched on a log grid from ln 2 / 1000 to
// ln 2 / 0.01 per day (half-lives 0.01-1000 days) and refined by golden section on the sum
// of squares. Needs >= 3 points with distinct times, the first at t = 0, and some positive
// drop; nullopt with *why when the half-life is not measurable (the best k at the grid's
// slow end: the redness still falls without slowing; or a curve that has lost 99 % by the
// second photo: any faster rate would fit as well).
std::optional<RecoveryFit> FitRecoveryFromFirst(const std::vector<double>& days, const std::vector<double>& drop,
                                                std::string* why);

}  // namespace needlescope::healing
