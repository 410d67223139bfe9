#include "needlescope/healing/recovery_fit.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace needlescope::healing {

std::optional<RecoveryFit> FitExponentialRecovery(const std::vector<double>& t,
                                                  const std::vector<double>& y,
                                                  std::string* why) {
  const size_t n = t.size();
  if (n < 3 || y.size() != n) {
    *why = "needs at least 3 time points";
    return std::nullopt;
  }
  if (*std::max_element(t.begin(), t.end()) == *std::min_element(t.begin(), t.end())) {
    *why = "all photos have the same time";
    return std::nullopt;
  }
  // Start: least squares on log(y) over the positive points.
  double st = 0, sl = 0, stt = 0, stl = 0;
  int m = 0;
  for (size_t i = 0; i < n; ++i) {
    if (y[i] <= 0) continue;
    const double l = std::log(y[i]);
    st += t[i], sl += l, stt += t[i] * t[i], stl += t[i] * l, ++m;
  }
  const double denom = m * stt - st * st;
  if (m < 2 || denom == 0) {
    *why = "fewer than two photos with excess redness at distinct times";
    return std::nullopt;
  }
  double k = -(m * stl - st * sl) / denom;
  double a = std::exp((sl + k * st) / m);
  // Gauss-Newton on the excess itself, so that near-zero late points are not over-weighted.
  for (int iteration = 0; iteration < 100; ++iteration) {
    double jaa = 0, jak = 0, jkk = 0, ga = 0, gk = 0;
    for (size_t i = 0; i < n; ++i) {
      const double e = std::exp(-k * t[i]), r = y[i] - a * e;
      const double da = e, dk = -a * t[i] * e;
      jaa += da * da, jak += da * dk, jkk += dk * dk, ga += da * r, gk += dk * r;
    }
    const double det = jaa * jkk - jak * jak;
    if (std::abs(det) < 1e-300) break;
    const double step_a = (jkk * ga - jak * gk) / det, step_k = (jaa * gk - jak * ga) / det;
    a += step_a, k += step_k;
    if (std::abs(step_a) < 1e-12 * std::max(1.0, std::abs(a)) && std::abs(step_k) < 1e-12) break;
  }
  RecoveryFit fit;
  fit.initial_excess = a;
  fit.rate_per_day = k;
  fit.half_life_days = k > 0 ? std::log(2.0) / k : 0;
  fit.points = int(n);
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double ss_res = 0, ss_tot = 0;
  for (size_t i = 0; i < n; ++i) {
    ss_res += std::pow(y[i] - a * std::exp(-k * t[i]), 2);
    ss_tot += std::pow(y[i] - mean, 2);
  }
  fit.r_squared = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
  fit.rmse = std::sqrt(ss_res / n);
  return fit;
}

}  // namespace needlescope::healing
