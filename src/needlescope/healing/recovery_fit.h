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

}  // namespace needlescope::healing
