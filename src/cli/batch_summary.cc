#include "cli/batch_summary.h"

#include <map>
#include <sstream>

#include "needlescope/io/csv_field.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

// A cell from record[a][b]...: numbers as JSON writes them, strings as they are, else empty.
std::string Cell(const Json& record, std::initializer_list<const char*> keys) {
  const Json* at = &record;
  for (const char* key : keys) {
    if (!at->is_object() || !at->contains(key)) return "";
    at = &(*at)[key];
  }
  if (at->is_string()) return CsvField(at->get<std::string>());
  if (at->is_number() || at->is_boolean()) return at->dump();
  return "";
}

}  // namespace

std::string BatchSummaryCsv(const std::vector<Json>& records) {
  std::vector<std::string> order;
  std::map<std::string, const Json*> latest;
  for (const Json& r : records) {
    const std::string path = r.value("image", "");
    if (!latest.count(path)) order.push_back(path);
    latest[path] = &r;
  }
  std::ostringstream csv;
  csv << "image,status,error,flags,punctures,per_megapixel,per_cm2,delta_hemoglobin_p50,delta_a_star_p50,"
         "uniformity_score,verdict,target,patient_id,session_id,taken_at,role,sha256\r\n";
  for (const std::string& path : order) {
    const Json& r = *latest[path];
    std::string flags;
    for (const Json& f : r.value("flags", Json::array())) flags += (flags.empty() ? "" : ";") + f.get<std::string>();
    csv << CsvField(path) << ',' << Cell(r, {"status"}) << ',' << Cell(r, {"error"}) << ',' << CsvField(flags) << ','
        << Cell(r, {"detection", "count"}) << ',' << Cell(r, {"detection", "per_megapixel"}) << ','
        << Cell(r, {"detection", "per_cm2"}) << ',' << Cell(r, {"redness", "delta_hemoglobin", "p50"}) << ','
        << Cell(r, {"redness", "delta_a_star", "p50"}) << ',' << Cell(r, {"uniformity", "score"}) << ','
        << Cell(r, {"uniformity", "verdict"}) << ',' << Cell(r, {"detection", "target"}) << ','
        << Cell(r, {"manifest", "patient_id"}) << ',' << Cell(r, {"manifest", "session_id"}) << ','
        << Cell(r, {"manifest", "taken_at"}) << ',' << Cell(r, {"manifest", "role"}) << ',' << Cell(r, {"sha256"})
        << "\r\n";
  }
  return csv.str();
}

}  // namespace needlescope::cli
