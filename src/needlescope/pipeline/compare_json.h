#pragma once

// `needlescope compare` output: DIR/<before>_vs_<after>.json (schema needlescope.compare/1)
// and the persistence CSV (docs/compare.md); the pictures are report/compare_pictures.h.

#include <nlohmann/json.hpp>
#include <string>

#include "needlescope/healing/compare_pair.h"
#include "needlescope/pipeline/colour_correction.h"

namespace needlescope {

inline constexpr const char* kCompareSchema = "needlescope.compare/1";

// What the command knew around the comparison: each photo's colour record and size, and the
// scale when given (densities per cm²).
struct ComparePhotos {
  std::string before_path, after_path;  // as given
  ColourRecord before_colour, after_colour;
  cv::Size before_size, after_size;
  double mm_per_px = 0;  // 0 = unknown
};

nlohmann::ordered_json CompareToJson(const healing::CompareResult& r, const ComparePhotos& photos);

// DIR/<before>_vs_<after>.persistence.csv: one row per BEFORE puncture that was compared,
// header "before_x,before_y,radius_px,after_x,after_y,after_amplitude,persists": where it
// maps to in AFTER, the blur-free peak fitted there (green OD) and whether that reaches the
// threshold, so that a persistence figure can be checked puncture by puncture.
std::string PersistenceToCsv(const healing::CompareResult& r);

}  // namespace needlescope
