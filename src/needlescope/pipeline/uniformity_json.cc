#include "needlescope/pipeline/uniformity_json.h"

#include "needlescope/pipeline/json_or_null.h"

namespace needlescope {
namespace {

using Json = nlohmann::ordered_json;
using namespace uniformity;

Json PolygonJson(const Polygon& p) {
  Json out = Json::array();
  for (const cv::Point2d& v : p) out.push_back({v.x, v.y});
  return out;
}

Json RegionsJson(const std::vector<Region>& regions, double mm_per_px) {
  Json out = Json::array();
  for (const Region& r : regions) {
    Json j = {{"area_px", r.area_px}};
    if (mm_per_px > 0) j["area_mm2"] = r.area_px * mm_per_px * mm_per_px;
    j["outline"] = PolygonJson(r.outline);
    out.push_back(j);
  }
  return out;
}

Json QuadratsJson(const Quadrats& q) {
  Json counts = Json::array();
  for (const auto& row : q.counts) {
    Json r = Json::array();
    for (int c : row) r.push_back(c < 0 ? Json(nullptr) : Json(c));
    counts.push_back(r);
  }
  return {{"counts", counts},
          {"cells_used", q.cells_used},
          {"mean", q.mean},
          {"cv", q.cv},
          {"chi2", q.chi2},
          {"df", q.df},
          {"p_two_sided", q.p_two_sided},
          {"p_clustered", q.p_clustered},
          {"p_regular", q.p_regular},
          {"morisita", q.morisita},
          {"min_expected", q.min_expected}};
}

}  // namespace

Json UniformityToJson(const UniformityResult& r,
                      const Window& window,
                      const UniformityOptions& options) {
  const double mm = options.mm_per_px;
  Json out = {{"n", r.n},
              {"window_area_px", r.window_area_px},
              {"window",
               {{"type", window.is_rectangle() ? "rectangle" : "polygon"},
                {"vertices", PolygonJson(window.vertices())}}},
              {"intensity_per_mpx", r.intensity_per_mpx},
              {"intensity_per_cm2", JsonOrNull(r.intensity_per_cm2)}};
  if (r.nn) {
    out["nn"] = {{"mean", r.nn->mean}, {"sd", r.nn->sd},         {"cv", r.nn->cv},
                 {"min", r.nn->min},   {"median", r.nn->median}, {"max", r.nn->max}};
    if (mm > 0) {
      out["nn"]["mean_mm"] = r.nn->mean * mm;
      out["nn"]["sd_mm"] = r.nn->sd * mm;
    }
  } else {
    out["nn"] = nullptr;
  }
  if (r.clark_evans) {
    out["clark_evans"] = {{"naive", r.clark_evans->naive},
                          {"donnelly", JsonOrNull(r.clark_evans->donnelly)},
                          {"cdf", JsonOrNull(r.clark_evans->cdf)},
                          {"z", r.clark_evans->z},
                          {"p_two_sided", r.clark_evans->p_two_sided}};
    if (!r.clark_evans->cdf_note.empty()) out["clark_evans"]["cdf_note"] = r.clark_evans->cdf_note;
  } else {
    out["clark_evans"] = nullptr;
  }
  Json quadrats = Json::object();
  for (const Quadrats& q : r.quadrats) quadrats["k" + std::to_string(q.k)] = QuadratsJson(q);
  out["quadrats"] = r.quadrats.empty() ? Json(nullptr) : quadrats;
  out["voronoi"] =
      r.voronoi ? Json{{"mean_area", r.voronoi->mean}, {"cv", r.voronoi->cv}} : Json(nullptr);
  Json coverage = Json::array();
  for (const auto& [radius, fraction] : r.coverage) {
    Json c = {{"radius_px", radius}};
    if (mm > 0) c["radius_mm"] = radius * mm;
    c["fraction"] = fraction;
    coverage.push_back(c);
  }
  out["coverage"] = coverage;
  if (r.largest_empty_circle) {
    const auto& lec = *r.largest_empty_circle;
    out["largest_empty_circle"] = {
        {"radius_px", lec.radius}, {"x", lec.centre.x}, {"y", lec.centre.y}};
    if (mm > 0) out["largest_empty_circle"]["radius_mm"] = lec.radius * mm;
  } else {
    out["largest_empty_circle"] = nullptr;
  }
  out["gap_distance_px"] = r.gap_distance_px;
  out["gap_fraction"] = r.gap_fraction;
  out["gaps"] = RegionsJson(r.gaps, mm);
  out["hotspot_bandwidth_px"] = r.hotspot_bandwidth_px;
  out["hotspot_factor"] = r.hotspot_factor_used;
  out["hotspot_fraction"] = r.hotspot_fraction;
  out["hotspots"] = RegionsJson(r.hotspots, mm);
  out["score"] = JsonOrNull(r.score);
  out["verdict"] = r.verdict;
  if (options.target_density_per_cm2) {
    out["target_density_per_cm2"] = {options.target_density_per_cm2->first,
                                     options.target_density_per_cm2->second};
    out["density_in_target"] = r.density_in_target ? Json(*r.density_in_target) : Json(nullptr);
  }
  out["undefined"] = r.undefined.empty() ? Json(nullptr) : Json(r.undefined);
  return out;
}

}  // namespace needlescope
