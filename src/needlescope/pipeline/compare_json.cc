#include "needlescope/pipeline/compare_json.h"

#include <cmath>
#include <cstdio>

#include "needlescope/pipeline/analysis_json.h"
#include "needlescope/pipeline/json_or_null.h"
#include "needlescope/pipeline/redness_json.h"
#include "needlescope/version.h"

namespace needlescope {
namespace {

nlohmann::ordered_json IntervalOrNull(const std::optional<std::pair<double, double>>& interval) {
  if (!interval) return nullptr;
  return {interval->first, interval->second};
}

}  // namespace


nlohmann::ordered_json CompareToJson(const healing::CompareResult& r, const ComparePhotos& photos) {
  using Json = nlohmann::ordered_json;
  Json rows = Json::array();
  for (int i = 0; i < 3; ++i)
    rows.push_back({r.registration.homography(i, 0), r.registration.homography(i, 1),
                    r.registration.homography(i, 2)});
  Json punctures = {{"before", r.punctures_before.size()}, {"after", r.punctures_after.size()}};
  if (photos.mm_per_px > 0) {  // each photo's punctures over its whole area
    const auto per_cm2 = [&](size_t count, cv::Size size) {
      return count / (double(size.area()) * photos.mm_per_px * photos.mm_per_px / 100.0);
    };
    punctures["mm_per_px"] = photos.mm_per_px;
    punctures["before_per_cm2"] = per_cm2(r.punctures_before.size(), photos.before_size);
    punctures["after_per_cm2"] = per_cm2(r.punctures_after.size(), photos.after_size);
  }
  return {
      {"schema", kCompareSchema},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"before", photos.before_path},
      {"after", photos.after_path},
      {"registration",
       {{"homography", rows},
        {"inliers", r.registration.inliers},
        {"matches", r.registration.matches},
        {"rmse_px", r.registration.rmse_px},
        {"refined", r.registration.refined},
        {"method", r.registration.method}}},
      {"healing",
       {{"redness_resolution", JsonOrNull(r.redness_resolution)},
        {"redness_resolution_ci95", IntervalOrNull(r.redness_resolution_ci95)},
        {"redness_resolution_a_star", JsonOrNull(r.redness_resolution_a_star)},
        {"redness_against_before",
         r.against_before ? Json{{"delta_hemoglobin", r.against_before->delta_hemoglobin},
                                 {"delta_a_star", r.against_before->delta_a_star},
                                 {"why", r.before.baseline_source}}
                          : Json(nullptr)},
        {"puncture_persistence", JsonOrNull(r.puncture_persistence)},
        {"puncture_persistence_ci95", IntervalOrNull(r.puncture_persistence_ci95)},
        {"punctures_compared", r.compared},
        {"persistence_min_amplitude", r.persistence_min_amplitude},
        {"punctures_persisting", r.persisting},
        {"new_punctures", r.new_punctures},
        {"tone_evenness",
         {{"melanin_sd_before", r.tone.melanin_sd_before},
          {"melanin_sd_after", r.tone.melanin_sd_after},
          {"hemoglobin_sd_before", r.tone.hemoglobin_sd_before},
          {"hemoglobin_sd_after", r.tone.hemoglobin_sd_after}}},
        {"score", JsonOrNull(r.score)}}},
      {"punctures", punctures},
      {"redness_before", RednessToJson(r.before)},
      {"region_cue", r.region_cue},
      {"redness_after", RednessToJson(r.after)},
      {"colour", {{"before", ColourToJson(photos.before_colour)}, {"after", ColourToJson(photos.after_colour)}}},
  };
}

std::string PersistenceToCsv(const healing::CompareResult& r) {
  std::string csv = "before_x,before_y,radius_px,after_x,after_y,after_amplitude,persists\n";
  char row[192];
  for (size_t b = 0; b < r.punctures_before.size(); ++b) {
    if (b >= r.after_amplitude.size() || std::isnan(r.after_amplitude[b])) continue;
    const Puncture& p = r.punctures_before[b];
    const cv::Vec3d m = r.registration.homography * cv::Vec3d(p.x, p.y, 1);
    std::snprintf(row, sizeof row, "%.3f,%.3f,%.3f,%.3f,%.3f,%.5f,%d\n", p.x, p.y, p.radius_px,
                  m[0] / m[2], m[1] / m[2], r.after_amplitude[b],
                  r.after_amplitude[b] >= r.persistence_min_amplitude ? 1 : 0);
    csv += row;
  }
  return csv;
}

}  // namespace needlescope
