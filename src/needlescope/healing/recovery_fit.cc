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

namespace {

// For rate k: the least-squares a of drop = a (1 - exp(-k t)), and the sum of squares left.
std::pair<double, double> FitAmplitude(const std::vector<double>& t, const std::vector<double>& y, double k) {
  double gy = 0, gg = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    const double g = 1 - std::exp(-k * t[i]);
    gy += g * y[i], gg += g * g;
  }
  const double a = gg > 0 ? gy / gg : 0;
  double ss = 0;
  for (size_t i = 0; i < t.size(); ++i) ss += std::pow(y[i] - a * (1 - std::exp(-k * t[i])), 2);
  return {a, ss};
}

}  // namespace

std::optional<RecoveryFit> FitRecoveryFromFirst(const std::vector<double>& t, const std::vector<double>& y,
                                                std::string* why) {
  const size_t n = t.size();
  if (n < 3 || y.size() != n) {
    *why = "needs at least 3 time points";
    return std::nullopt;
  }
  if (t[0] != 0 || std::count(t.begin(), t.end(), 0.0) > 1 ||
      std::any_of(t.begin(), t.end(), [](double day) { return !(day >= 0); })) {
    *why = "the first photo must be at day 0 and the others later";
    return std::nullopt;
  }
  if (*std::max_element(y.begin(), y.end()) <= 0) {
    *why = "no photo has less redness than the first";
    return std::nullopt;
  }
  // Log grid of 200 rates over half-lives 1000 .. 0.01 days, then golden section around the
  // best grid point.
  const double ln2 = std::log(2.0), lo = std::log(ln2 / 1000), hi = std::log(ln2 / 0.01);
  const int steps = 200;
  int best = 0;
  double best_ss = INFINITY;
  for (int i = 0; i <= steps; ++i) {
    const double ss = FitAmplitude(t, y, std::exp(lo + (hi - lo) * i / steps)).second;
    if (ss < best_ss) best_ss = ss, best = i;
  }
  if (best == 0) {
    *why = "the redness still falls without slowing: half-life longer than the series can tell";
    return std::nullopt;
  }
  const char* too_fast = "the redness was gone by the second photo: half-life shorter than the series can tell";
  if (best == steps) {
    *why = too_fast;
    return std::nullopt;
  }
  double a_end = lo + (hi - lo) * (best - 1) / steps, b_end = lo + (hi - lo) * (best + 1) / steps;
  const double golden = (std::sqrt(5.0) - 1) / 2;
  for (int iteration = 0; iteration < 100 && b_end - a_end > 1e-12; ++iteration) {
    const double c = b_end - golden * (b_end - a_end), d = a_end + golden * (b_end - a_end);
    if (FitAmplitude(t, y, std::exp(c)).second < FitAmplitude(t, y, std::exp(d)).second) {
      b_end = d;
    } else {
      a_end = c;
    }
  }
  const double k = std::exp((a_end + b_end) / 2);
  // Past the second photo's time the curve is flat: any faster rate fits as well.
  double second = INFINITY;
  for (double day : t) {
    if (day > 0) second = std::min(second, day);
  }
  if (std::exp(-k * second) < 0.01) {
    *why = too_fast;
    return std::nullopt;
  }
  const auto [a, ss_res] = FitAmplitude(t, y, k);
  RecoveryFit fit;
  fit.initial_excess = a;
  fit.rate_per_day = k;
  fit.half_life_days = ln2 / k;
  fit.points = int(n);
  const double mean = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double ss_tot = 0;
  for (double v : y) ss_tot += (v - mean) * (v - mean);
  fit.r_squared = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
  fit.rmse = std::sqrt(ss_res / n);
  return fit;
}

}  // namespace needlescope::healing
