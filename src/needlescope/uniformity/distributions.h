#pragma once

// The two distribution functions the uniformity tests need (no statistics library is
// among our dependencies).

namespace needlescope::uniformity {

// P(Z <= z) for a standard normal Z.
double NormalCdf(double z);
// P(X <= x) and P(X >= x) for X ~ chi-squared with `df` degrees of freedom (df >= 1), via
// the regularised incomplete gamma function (series below a + 1, continued fraction above;
// Numerical Recipes, 3rd ed., 6.2). Each is computed directly, not as 1 - the other, so a
// tiny tail keeps its relative precision.
double ChiSquaredCdf(double x, int df);
double ChiSquaredSurvival(double x, int df);

}  // namespace needlescope::uniformity
