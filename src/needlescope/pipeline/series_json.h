#pragma once

// `needlescope series` output: DIR/series.json (schema needlescope.series/1) and
// DIR/series.csv (docs/compare.md, "Series").

#include <string>

#include <nlohmann/json.hpp>

#include "needlescope/healing/series.h"

namespace needlescope {

inline constexpr const char* kSeriesSchema = "needlescope.series/1";

// `failed`: photos given that could not be compared (reported on stderr by the caller).
nlohmann::ordered_json SeriesToJson(const healing::SeriesResult& series, int failed);

// Header "day,image,excess_delta_hemoglobin,excess_delta_a_star,punctures,redness_resolution,
// hemoglobin_change_since_first,a_star_change_since_first"; empty cells for absent values.
std::string SeriesToCsv(const healing::SeriesResult& series);

}  // namespace needlescope
