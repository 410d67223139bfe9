#pragma once

// The clinician's page for a series (`series.report.html`, docs/report.md): the recovery
// curve as an inline SVG (the followed redness per day, the fitted curve, its half-life) and
// a table of the time points.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "needlescope/healing/series.h"

namespace needlescope::report {

// `shown_names`: how each point's photo is named on the page, in the points' order.
// `colour`: per point, its colour record (pipeline/colour_correction.h), or an empty array.
std::string SeriesReportHtml(const healing::SeriesResult& series, const std::vector<std::string>& shown_names,
                             int failed, const nlohmann::ordered_json& colour);

}  // namespace needlescope::report
