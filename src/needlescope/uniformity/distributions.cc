#include "needlescope/uniformity/distributions.h"

#include <cmath>
#include <limits>

namespace needlescope::uniformity {
namespace {

// Lower regularised gamma P(a, x) by its series; converges fast for x < a + 1.
double GammaPSeries(double a, double x) {
  double term = 1.0 / a, sum = term;
  for (int n = 1; n < 10000; ++n) {
    term *= x / (a + n);
    sum += term;
    if (std::abs(term) < std::abs(sum) * 1e-17) break;
  }
  return sum * std::exp(-x + a * std::log(x) - std::lgamma(a));
}

// Upper regularised gamma Q(a, x) by its continued fraction (modified Lentz); x >= a + 1.
double GammaQFraction(double a, double x) {
  const double tiny = std::numeric_limits<double>::min() / std::numeric_limits<double>::epsilon();
  double b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
  for (int i = 1; i < 10000; ++i) {
    const double an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (std::abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (std::abs(c) < tiny) c = tiny;
    d = 1 / d;
    const double delta = d * c;
    h *= delta;
    if (std::abs(delta - 1) < 1e-17) break;
  }
  return std::exp(-x + a * std::log(x) - std::lgamma(a)) * h;
}

}  // namespace

double NormalCdf(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

double ChiSquaredCdf(double x, int df) {
  if (x <= 0) return 0;
  const double a = df / 2.0, half = x / 2.0;
  return half < a + 1 ? GammaPSeries(a, half) : 1 - GammaQFraction(a, half);
}

double ChiSquaredSurvival(double x, int df) {
  if (x <= 0) return 1;
  const double a = df / 2.0, half = x / 2.0;
  return half < a + 1 ? 1 - GammaPSeries(a, half) : GammaQFraction(a, half);
}

}  // namespace needlescope::uniformity
