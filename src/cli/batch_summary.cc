#include "cli/batch_summary.h"

#include <sstream>

#include "needlescope/io/csv_field.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kColumns[] = {"image",   "status",        "error",         "flags",
                                    "punctures", "per_megapixel", "per_cm2",     "delta_hemoglobin_p50",
                                    "delta_a_star_p50", "uniformity_score", "verdict", "target",
                                    "patient_id", "session_id",   "taken_at",      "role",
                                    "sha256"};

// A cell: numbers as JSON writes them, strings quoted when they must be, flags joined by ';',
// null as empty.
std::string Cell(const Json& value) {
  if (value.is_string()) return CsvField(value.get<std::string>());
  if (value.is_number() || value.is_boolean()) return value.dump();
  if (value.is_array()) {
    std::string joined;
    for (const Json& v : value) joined += (joined.empty() ? "" : ";") + (v.is_string() ? v.get<std::string>() : v.dump());
    return CsvField(joined);
  }
  return "";
}

}  // namespace

std::string BatchSummaryCsv(const std::vector<Json>& rows) {
  std::ostringstream csv;
  for (const char* column : kColumns) csv << (column == kColumns[0] ? "" : ",") << column;
  csv << "\r\n";
  for (const Json& row : rows) {
    for (const char* column : kColumns) {
      csv << (column == kColumns[0] ? "" : ",") << Cell(row.contains(column) ? row[column] : Json(nullptr));
    }
    csv << "\r\n";
  }
  return csv.str();
}

}  // namespace needlescope::cli
