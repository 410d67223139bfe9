#pragma once

#include <cmath>
#include <utility>

// A proportion's interval, shared by the stages above (device validation's penetration
// rates, compare's puncture persistence); kept beside the uniformity statistics, the
// lowest stage with statistics in it.

namespace needlescope::uniformity {

// The Wilson score interval for `successes` of `trials` (95 %: z = 1.959964), as (low, high);
// (0, 1) for no trials. Better than the normal approximation near 0 and 1, where a
// penetration rate usually is (Brown, Cai & DasGupta 2001).
inline std::pair<double, double> WilsonInterval(int successes, int trials, double z = 1.959963984540054) {
  if (trials <= 0) return {0.0, 1.0};
  const double n = trials, p = successes / n, z2 = z * z;
  const double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const double half = z / (1 + z2 / n) * std::sqrt(p * (1 - p) / n + z2 / (4 * n * n));
  return {std::max(0.0, centre - half), std::min(1.0, centre + half)};
}

}  // namespace needlescope::uniformity
