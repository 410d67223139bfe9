#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace needlescope::cli {

// OUT/summary.csv (RFC 4180, CRLF) from AuditDb::SummaryRows: one row per input path (its
// latest result: a photo whose content changed between runs has two). Columns: docs/batch.md.
std::string BatchSummaryCsv(const std::vector<nlohmann::ordered_json>& rows);

}  // namespace needlescope::cli
