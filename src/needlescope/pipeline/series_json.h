#pragma once

// `needlescope series` output: DIR/series.json (schema needlescope.series/1) and
// DIR/series.csv (docs/compare.md, "Series").

#include <string>

#include <nlohmann/json.hpp>

#include "needlescope/healing/series.h"
#include "needlescope/pipeline/colour_correction.h"

namespace needlescope {

inline constexpr const char* kSeriesSchema = "needlescope.series/1";

// `failed`: photos given that could not be compared (reported on stderr by the caller);
// `colour`: each point's colour record, in the points' order; `mm_per_px` > 0 adds each
// point's punctures per cm².
nlohmann::ordered_json SeriesToJson(const healing::SeriesResult& series, int failed,
                                    const std::vector<ColourRecord>& colour, double mm_per_px);

// Header "day,image,excess_delta_hemoglobin,excess_delta_a_star,punctures,redness_resolution,
// hemoglobin_change_since_first,a_star_change_since_first"; empty cells for absent values.
std::string SeriesToCsv(const healing::SeriesResult& series);

}  // namespace needlescope
