#include "needlescope/pipeline/series_json.h"

#include <sstream>

#include "needlescope/io/csv_field.h"
#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/pipeline/json_or_null.h"
#include "needlescope/version.h"

namespace needlescope {

nlohmann::ordered_json SeriesToJson(const healing::SeriesResult& series, int failed,
                                    const std::vector<ColourRecord>& colour, double mm_per_px) {
  using Json = nlohmann::ordered_json;
  Json rows = Json::array();
  for (const healing::TimePoint& p : series.points) {
    rows.push_back({{"day", p.day},
                    {"image", p.path},
                    {"excess_delta_hemoglobin", JsonOrNull(p.excess_hemoglobin)},
                    {"excess_delta_a_star", JsonOrNull(p.excess_a_star)},
                    {"punctures", p.punctures},
                    {"redness_resolution", JsonOrNull(p.redness_resolution)},
                    {"hemoglobin_change_since_first", JsonOrNull(p.hemoglobin_change)},
                    {"a_star_change_since_first", JsonOrNull(p.a_star_change)}});
    if (mm_per_px > 0) rows.back()["punctures_per_cm2"] = p.punctures / (p.pixels * mm_per_px * mm_per_px / 100.0);
  }
  Json colours = Json::array();
  for (const ColourRecord& record : colour) colours.push_back(ColourToJson(record));
  Json fit = nullptr;
  if (const auto& f = series.fit) {
    fit = {{"model", series.against_first ? "lost since the first photo(t) = a (1 - exp(-k t))" : "excess(t) = a exp(-k t)"},
           {"a", f->initial_excess},
           {"k_per_day", f->rate_per_day},
           {"half_life_days", f->rate_per_day > 0 ? Json(f->half_life_days) : Json(nullptr)},
           {"r_squared", f->r_squared},
           {"rmse", f->rmse},
           {"points", f->points}};
  }
  return {{"schema", kSeriesSchema},
          {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
          {"redness_against", series.against_first ? "the first photo" : "untreated skin"},
          {"redness_against_why", series.against_first ? Json(series.against_first_why) : Json(nullptr)},
          {"points", rows},
          {"recovery_fit", fit},
          {"fit_note", series.fit ? Json(nullptr) : Json(series.fit_note)},
          {"failed", failed},
          {"mm_per_px", mm_per_px > 0 ? Json(mm_per_px) : Json(nullptr)},
          {"colour", colours}};
}

std::string SeriesToCsv(const healing::SeriesResult& series) {
  std::ostringstream csv;
  csv << "day,image,excess_delta_hemoglobin,excess_delta_a_star,punctures,redness_resolution,"
         "hemoglobin_change_since_first,a_star_change_since_first\n";
  auto cell = [](const std::optional<double>& v) {
    std::ostringstream out;
    if (v) out << *v;
    return out.str();
  };
  for (const healing::TimePoint& p : series.points) {
    csv << p.day << "," << CsvField(p.path) << "," << cell(p.excess_hemoglobin) << "," << cell(p.excess_a_star) << ","
        << p.punctures << "," << cell(p.redness_resolution) << "," << cell(p.hemoglobin_change) << ","
        << cell(p.a_star_change) << "\n";
  }
  return csv.str();
}

}  // namespace needlescope
