#include "needlescope/detect/stain_identity.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace needlescope::detect {
namespace {

// The median of `v` (the lower middle for an even count), which it reorders.
double Median(std::vector<double>& v) {
  const auto middle = v.begin() + long((v.size() - 1) / 2);
  std::nth_element(v.begin(), middle, v.end());
  return *middle;
}

}  // namespace

StainIdentity IdentifyStain(const std::vector<Candidate>& accepted, const color::ChromophoreVectors& vectors) {
  std::vector<double> green, blue;
  for (const Candidate& c : accepted) {
    // Unmixing inverted [melanin hemoglobin 1]: mixing back gives the spot-minus-ring OD.
    double od[3];
    for (int k = 0; k < 3; ++k) {
      od[k] = c.delta_melanin * vectors.melanin[size_t(k)] + c.delta_hemoglobin * vectors.hemoglobin[size_t(k)] +
              c.delta_shading;
    }
    if (!(od[0] >= kMinSpotRedOd)) continue;
    green.push_back(od[1] / od[0]);
    blue.push_back(od[2] / od[0]);
  }
  StainIdentity s;
  s.spots = int(green.size());
  std::ostringstream why;
  if (s.spots < kMinStainSpots) {
    why << s.spots << " spots absorb at least " << kMinSpotRedOd << " OD of red, fewer than " << kMinStainSpots
        << ": stain not named";
    s.reason = why.str();
    return s;
  }
  s.green_over_red = Median(green);
  s.blue_over_red = Median(blue);
  const bool trypan = s.green_over_red >= kTrypanMinGreenOverRed;
  s.name = trypan ? "trypan blue" : "methylene blue";
  why << "median green/red absorption of " << s.spots << " spots " << std::round(s.green_over_red * 100) / 100
      << (trypan ? " >= " : " < ") << kTrypanMinGreenOverRed;
  s.reason = why.str();
  return s;
}

}  // namespace needlescope::detect
