#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace needlescope::cli {

// OUT/summary.csv (RFC 4180) from a batch's records: one row per input path, its latest
// record (a photo whose content changed between runs has two records), in the order the
// paths first appear. Columns: docs/batch.md.
std::string BatchSummaryCsv(const std::vector<nlohmann::ordered_json>& records);

}  // namespace needlescope::cli
