#include "needlescope/detect/stain_identity.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include "needlescope/detect/stain_direction.h"

namespace needlescope::detect {
namespace {

// The median of `v` (the lower middle for an even count), which it reorders.
double Median(std::vector<double>& v) {
  const auto middle = v.begin() + long((v.size() - 1) / 2);
  std::nth_element(v.begin(), middle, v.end());
  return *middle;
}

// A custom stain: the spots' median colour (per channel, each spot's OD over its strength
// along the stain) against the given one.
StainIdentity IdentifyCustomStain(const std::vector<Candidate>& accepted, const color::ChromophoreVectors& vectors,
                                  const color::Rgb& stain_od) {
  const StainWeights weights = CustomStainWeights(stain_od);
  std::vector<double> channel[3];
  for (const Candidate& c : accepted) {
    const color::Rgb od = SpotMinusRingOd(c, vectors);
    const double strength = weights.plane[0] * od[0] + weights.plane[1] * od[1] + weights.plane[2] * od[2];
    if (!(strength >= kMinSpotRedOd)) continue;
    for (size_t k = 0; k < 3; ++k) channel[k].push_back(od[k] / strength);
  }
  StainIdentity s;
  s.spots = int(channel[0].size());
  std::ostringstream why;
  if (s.spots < kMinStainSpots) {
    why << s.spots << " spots absorb at least " << kMinSpotRedOd << " OD along the given stain, fewer than "
        << kMinStainSpots << ": stain not named";
    s.reason = why.str();
    return s;
  }
  const color::Rgb median{Median(channel[0]), Median(channel[1]), Median(channel[2])};
  const double nan = std::numeric_limits<double>::quiet_NaN();
  s.green_over_red = median[0] > 0 ? median[1] / median[0] : nan;  // null in the JSON
  s.blue_over_red = median[0] > 0 ? median[2] / median[0] : nan;
  s.angle_to_given_deg = ChromaticAngleDeg(median, stain_od);
  s.name = "custom stain";
  why << "given by --stain-od; the median colour of " << s.spots << " spots is "
      << std::round(*s.angle_to_given_deg * 10) / 10 << " degrees from it";
  if (*s.angle_to_given_deg > kMaxCustomStainAngleDeg) {
    why << ": more than " << kMaxCustomStainAngleDeg << ", not that stain's colour?";
  }
  s.reason = why.str();
  return s;
}

}  // namespace

StainIdentity IdentifyStain(const std::vector<Candidate>& accepted, const color::ChromophoreVectors& vectors,
                            const std::optional<color::Rgb>& stain_od) {
  if (stain_od) return IdentifyCustomStain(accepted, vectors, *stain_od);
  std::vector<double> green, blue;
  for (const Candidate& c : accepted) {
    const color::Rgb od = SpotMinusRingOd(c, vectors);
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
