#pragma once

// CIE 1976 L*a*b* under D65 from linear sRGB, with the constants scikit-image's rgb2lab uses
// (sRGB->XYZ matrix and D65 white (0.95047, 1, 1.08883), f(t) = t^(1/3) above
// (6/29)^3 = 0.008856, else 7.787 t + 16/116), so the values agree with it (tested against
// numbers computed with python3-skimage, tests/data/lab_reference.csv).

namespace needlescope::color {

struct Lab {
  double l, a, b;
};

// r, g, b: linear sRGB in [0, 1].
Lab LinearRgbToLab(double r, double g, double b);
// Its a* alone (L* and b* not computed): the a* map's per-pixel work.
double LinearRgbToAStar(double r, double g, double b);

}  // namespace needlescope::color
