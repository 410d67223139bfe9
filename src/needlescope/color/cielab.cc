#include "needlescope/color/cielab.h"

#include <cmath>

namespace needlescope::color {
namespace {

double F(double t) { return t > 0.008856 ? std::cbrt(t) : 7.787 * t + 16.0 / 116.0; }

}  // namespace

Lab LinearRgbToLab(double r, double g, double b) {
  const double x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.95047;
  const double y = 0.212671 * r + 0.715160 * g + 0.072169 * b;
  const double z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.08883;
  const double fx = F(x), fy = F(y), fz = F(z);
  return {116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)};
}

}  // namespace needlescope::color
