#include "needlescope/pipeline/redness_json.h"

namespace needlescope {
namespace {

using Json = nlohmann::ordered_json;

Json SummaryJson(const redness::Summary& s) { return {{"mean", s.mean}, {"p50", s.p50}, {"p90", s.p90}}; }

Json MeansJson(const redness::RegionMeans& m) {
  return {{"hemoglobin", m.hemoglobin}, {"melanin", m.melanin}, {"a_star", m.a_star},
          {"erythema_index", m.erythema_index}, {"skin_pixels", m.skin_pixels}};
}

Json VectorJson(const color::Rgb& v) { return Json::array({v[0], v[1], v[2]}); }

}  // namespace

Json RednessToJson(const redness::RednessResult& r) {
  // Deltas need both regions; without a baseline only the treated region's means stand.
  const bool found = r.treated_found && r.baseline_found;
  Json out = {
      {"measured", true},
      {"treated_region_found", r.treated_found},
      {"delta_hemoglobin", found ? SummaryJson(r.delta_hemoglobin) : Json(nullptr)},
      {"delta_a_star", found ? SummaryJson(r.delta_a_star) : Json(nullptr)},
      {"delta_ei", found ? SummaryJson(r.delta_ei) : Json(nullptr)},
      {"treated", r.treated_found ? MeansJson(r.treated) : Json(nullptr)},
      {"baseline", r.baseline_found ? MeansJson(r.baseline) : Json(nullptr)},
      {"erythema_area_fraction", found ? Json(r.erythema_area_fraction) : Json(nullptr)},
      {"threshold", r.baseline_found || r.threshold_rule == "fixed" ? Json(r.threshold) : Json(nullptr)},
      {"threshold_rule", r.threshold_rule},
      {"roi_source", r.roi_source},
      {"baseline_source", r.baseline_source},
      {"white_balance",
       {{"method", r.white_balance},
        {"gains_rgb", Json::array({r.white_balance_gains_rgb[0], r.white_balance_gains_rgb[1],
                                   r.white_balance_gains_rgb[2]})}}},
      {"chromophore_vectors",
       {{"source", r.vectors.source},
        {"melanin_rgb", VectorJson(r.vectors.melanin)},
        {"hemoglobin_rgb", VectorJson(r.vectors.hemoglobin)}}},
      {"skin_fraction", r.skin_fraction},
      {"units",
       {{"hemoglobin", "OD units along the hemoglobin vector (literature-vector scale)"},
        {"a_star", "CIELAB a* (D65) after white balance"},
        {"erythema_index", "100 log10(R/G), linear camera RGB"}}},
  };
  if (!r.baseline_found) out["untreated_skin_in_frame"] = false;
  return out;
}

}  // namespace needlescope
