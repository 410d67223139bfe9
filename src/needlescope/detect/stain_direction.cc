#include "needlescope/detect/stain_direction.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace needlescope::detect {
namespace {

color::Rgb Chromatic(const color::Rgb& v) {
  const double mean = (v[0] + v[1] + v[2]) / 3;
  return {v[0] - mean, v[1] - mean, v[2] - mean};
}

double Dot(const color::Rgb& a, const color::Rgb& b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

double AngleDeg(const color::Rgb& a, const color::Rgb& b) {
  const double na = std::sqrt(Dot(a, a)), nb = std::sqrt(Dot(b, b));
  if (!(na > 0 && nb > 0)) return 0;
  return std::acos(std::clamp(Dot(a, b) / (na * nb), -1.0, 1.0)) * 180 / M_PI;
}

}  // namespace

StainWeights BlueStainWeights() { return {{1, 0, 0}, {1, 0, -1}}; }

StainWeights CustomStainWeights(const color::Rgb& od) {
  const double peak = std::max({od[0], od[1], od[2]});
  const color::Rgb v{od[0] / peak, od[1] / peak, od[2] / peak};
  const double norm2 = Dot(v, v);
  const color::Rgb chroma = Chromatic(v);
  const double scale = std::sqrt(2.0 / Dot(chroma, chroma));  // |(1, 0, -1)| = sqrt 2
  return {{v[0] / norm2, v[1] / norm2, v[2] / norm2},
          {chroma[0] * scale, chroma[1] * scale, chroma[2] * scale}};
}

std::string CheckStainOd(const color::Rgb& od) {
  std::ostringstream m;
  for (double c : od) {
    if (!std::isfinite(c) || c < 0) {
      m << "stain OD (" << od[0] << ", " << od[1] << ", " << od[2] << "): every component must be >= 0";
      return m.str();
    }
  }
  if (!(std::max({od[0], od[1], od[2]}) > 0)) return "stain OD (0, 0, 0): absorbs nothing";
  const double from_grey = AngleDeg(od, {1, 1, 1});
  if (from_grey < kMinStainChromaDeg) {
    m << "stain OD (" << od[0] << ", " << od[1] << ", " << od[2] << "): " << std::round(from_grey * 10) / 10
      << " degrees from neutral grey, needs >= " << kMinStainChromaDeg << " (a grey absorber looks like shadow)";
  }
  return m.str();
}

double ChromaticAngleDeg(const color::Rgb& a, const color::Rgb& b) { return AngleDeg(Chromatic(a), Chromatic(b)); }

color::Rgb SpotMinusRingOd(const Candidate& c, const color::ChromophoreVectors& vectors) {
  color::Rgb od;
  for (size_t k = 0; k < 3; ++k) {
    od[k] = c.delta_melanin * vectors.melanin[k] + c.delta_hemoglobin * vectors.hemoglobin[k] + c.delta_shading;
  }
  return od;
}

}  // namespace needlescope::detect
