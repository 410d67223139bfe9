#pragma once

#include <string>

namespace needlescope::detect {

// The plane blood candidates are searched on (stain always uses red OD). Green OD is the
// default; the others exist to measure that choice (docs/detection.md, "Which channel").
enum class Plane { kGreenOd, kLuminanceOd, kHemoglobin };

inline const char* PlaneName(Plane plane) {
  switch (plane) {
    case Plane::kGreenOd: return "green_od";
    case Plane::kLuminanceOd: return "luminance_od";
    case Plane::kHemoglobin: return "hemoglobin";
  }
  return "?";
}

inline bool PlaneFromName(const std::string& name, Plane* plane) {
  for (Plane p : {Plane::kGreenOd, Plane::kLuminanceOd, Plane::kHemoglobin}) {
    if (name == PlaneName(p)) {
      *plane = p;
      return true;
    }
  }
  return false;
}

}  // namespace needlescope::detect
