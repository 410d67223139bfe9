#pragma once

// sRGB transfer function (IEC 61966-2-1), the same as scikit-image's rgb2lab uses:
// linear = v / 12.92 for v <= 0.04045, else ((v + 0.055) / 1.055)^2.4, with v in [0, 1].

#include <array>
#include <cstdint>

namespace needlescope::color {

// Linear value of each 8-bit code, exact to float precision.
const std::array<float, 256>& SrgbToLinearTable();

inline float SrgbToLinear(std::uint8_t code) { return SrgbToLinearTable()[code]; }

// Optical density of each 8-bit code: -log10(max(linear, kLinearFloor)). Linear values below
// 1e-3 (sRGB code < 1) are clamped before the log.
inline constexpr double kLinearFloor = 1e-3;
const std::array<double, 256>& OpticalDensityTable();
// The same, rounded to float: what detection's planes hold.
const std::array<float, 256>& OpticalDensityFloatTable();

}  // namespace needlescope::color
