#pragma once

// `needlescope compare` output: DIR/<before>_vs_<after>.json (schema needlescope.compare/1)
// and the persistence CSV (docs/compare.md); the pictures are report/compare_pictures.h.

#include <nlohmann/json.hpp>
#include <string>

#include "needlescope/healing/compare_pair.h"

namespace needlescope {

inline constexpr const char* kCompareSchema = "needlescope.compare/1";

nlohmann::ordered_json CompareToJson(const healing::CompareResult& r,
                                     const std::string& before_path,
                                     const std::string& after_path);

// DIR/<before>_vs_<after>.persistence.csv: one row per BEFORE puncture that was compared,
// header "before_x,before_y,radius_px,after_x,after_y,after_amplitude,persists": where it
// maps to in AFTER, the blur-free peak fitted there (green OD) and whether that reaches the
// threshold, so that a persistence figure can be checked puncture by puncture.
std::string PersistenceToCsv(const healing::CompareResult& r);

}  // namespace needlescope
