#include "needlescope/color/srgb.h"

#include <algorithm>
#include <cmath>

namespace needlescope::color {

const std::array<float, 256>& SrgbToLinearTable() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (int i = 0; i < 256; ++i) {
      const double v = i / 255.0;
      t[i] = float(v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4));
    }
    return t;
  }();
  return table;
}

const std::array<double, 256>& OpticalDensityTable() {
  static const std::array<double, 256> table = [] {
    std::array<double, 256> t{};
    for (int i = 0; i < 256; ++i) {
      t[i] = -std::log10(std::max<double>(SrgbToLinearTable()[i], kLinearFloor));
    }
    return t;
  }();
  return table;
}

const std::array<float, 256>& OpticalDensityFloatTable() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (size_t i = 0; i < t.size(); ++i) t[i] = float(OpticalDensityTable()[i]);
    return t;
  }();
  return table;
}

}  // namespace needlescope::color
