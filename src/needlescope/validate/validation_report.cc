#include "needlescope/validate/validation_report.h"

#include <cstdio>
#include <sstream>

#include "needlescope/io/csv_field.h"

namespace needlescope::validate {
namespace {

using Json = nlohmann::ordered_json;

Json Interval(double low, double high) { return Json::array({low, high}); }

}  // namespace

Json ValidationToJson(const ValidationResult& r, const CartridgeLayout& layout, const ValidateOptions& options) {
  Json needles_mm = Json::array();
  for (const cv::Point2d& p : layout.needles_mm) needles_mm.push_back({p.x, p.y});
  Json stamps = Json::array();
  for (const StampResult& s : r.stamps) {
    Json hit = Json::array(), places = Json::array();
    for (bool h : s.hit) hit.push_back(h);
    for (const cv::Point2d& p : s.fit.needles_px) places.push_back({std::round(p.x * 100) / 100, std::round(p.y * 100) / 100});
    stamps.push_back({{"x", s.fit.x}, {"y", s.fit.y}, {"angle_deg", s.fit.angle_deg}, {"scale_px_per_mm", s.fit.px_per_mm},
                      {"residual_px", s.fit.residual_px}, {"unexplained_holes", s.fit.unexplained_holes},
                      {"confirmed_at_place", s.confirmed_at_place},
                      {"excluded", s.excluded},
                      {"excluded_because", s.excluded ? Json(s.excluded_because) : Json(nullptr)}, {"hit", hit},
                      {"needles_px", places}});
  }
  Json needles = Json::array();
  for (const NeedleResult& n : r.needles) {
    needles.push_back({{"index", n.index}, {"hits", n.hits}, {"stamps", n.stamps}, {"rate", n.stamps ? Json(n.rate) : Json(nullptr)},
                       {"ci95", Interval(n.ci_low, n.ci_high)}, {"failing", n.failing}});
  }
  Json symmetry = Json::array();
  for (double d : layout.symmetry_deg) symmetry.push_back(d);
  const bool symmetric = layout.symmetry_deg.size() > 1;
  return {
      {"cartridge",
       {{"name", layout.name}, {"description", layout.description}, {"source", layout.source},
        {"n_needles", layout.needles_mm.size()}, {"pitch_mm", layout.pitch_mm},
        {"pitch_px", r.pitch_px}, {"needles_mm", needles_mm}}},
      {"scale",
       {{"px_per_mm", r.px_per_mm > 0 ? Json(r.px_per_mm) : Json(nullptr)},
        {"mm_per_px", r.px_per_mm > 0 ? Json(1.0 / r.px_per_mm) : Json(nullptr)},
        {"from", r.scale_from_layout ? "the stamps' fitted scale against the layout's pitch" : "given (--mm-per-px)"}}},
      {"stamps", stamps},
      {"needles", needles},
      {"penetration_rate",
       {{"hits", r.hits}, {"trials", r.trials}, {"rate", r.trials ? Json(r.rate) : Json(nullptr)},
        {"ci95", Interval(r.ci_low, r.ci_high)}}},
      {"fail_below", options.fail_below},
      {"holes", r.holes},
      {"holes_outside_stamps", r.holes_outside_stamps},
      {"stamps_counted", static_cast<int>(r.stamps.size()) - r.stamps_cut_by_edge - r.stamps_overlapping},
      {"stamps_cut_by_edge", r.stamps_cut_by_edge},
      {"stamps_overlapping", r.stamps_overlapping},
      {"clusters_unfitted", r.stamps_unfitted},
      {"orientation",
       {{"symmetry_deg", symmetry},
        {"resolved", r.orientation_resolved},
        {"note", !symmetric ? "the layout has no rotational symmetry: indices are the layout file's"
                 : r.orientation_resolved
                     ? "stamps turned to agree on which needles miss; the indices are the layout file's up to one of "
                       "the symmetry rotations for the whole photo (mark the cartridge's orientation to fix it)"
                     : "the misses do not tell the symmetric orientations apart: per-needle indices may be mixed "
                       "between stamps; the overall rate is unaffected"}}}};
}

std::string NeedlesCsv(const ValidationResult& r, const CartridgeLayout& layout) {
  std::ostringstream csv;
  csv << "index,x_mm,y_mm,hits,stamps,rate,ci95_low,ci95_high,failing\r\n";
  for (const NeedleResult& n : r.needles) {
    char row[256];
    std::snprintf(row, sizeof row, "%d,%.4f,%.4f,%d,%d,%s,%.4f,%.4f,%s\r\n", n.index, layout.needles_mm[n.index].x,
                  layout.needles_mm[n.index].y, n.hits, n.stamps,
                  n.stamps ? std::to_string(n.rate).c_str() : "", n.ci_low, n.ci_high, n.failing ? "true" : "false");
    csv << row;
  }
  return csv.str();
}

}  // namespace needlescope::validate
