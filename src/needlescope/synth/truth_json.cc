#include "needlescope/synth/truth_json.h"

#include "needlescope/synth/delivery.h"
#include "needlescope/version.h"

namespace needlescope::synth {
namespace {

using Json = nlohmann::ordered_json;

Json PointJson(cv::Point2d p) { return Json::array({p.x, p.y}); }

Json EllipseJson(const cv::RotatedRect& e) {
  return {{"cx", e.center.x}, {"cy", e.center.y}, {"width", e.size.width},
          {"height", e.size.height}, {"angle_deg", e.angle}};
}

Json PatternJson(const Pattern& p) {
  Json j = {{"kind", p.kind}};
  if (p.cartridge) {
    Json needles = Json::array();
    for (const cv::Point2d& n : p.cartridge->needles) needles.push_back(PointJson(n));
    j["cartridge"] = {{"name", p.cartridge->name}, {"pitch_px", p.cartridge->pitch_px},
                      {"needles", needles}};
    Json stamps = Json::array();
    for (const Stamp& s : p.stamps) stamps.push_back({{"x", s.x}, {"y", s.y}, {"angle_deg", s.angle_deg}});
    j["stamps"] = stamps;
    j["missing_needles"] = p.missing_needles;
    j["faint_needles"] = p.faint_needles;
  }
  if (p.kind == "scatter") j["target_density_per_mpx"] = p.target_density_per_mpx;
  Json gaps = Json::array(), hotspots = Json::array();
  for (const auto& g : p.gaps) gaps.push_back(EllipseJson(g));
  for (const auto& h : p.hotspots) hotspots.push_back(EllipseJson(h));
  j["gaps"] = gaps;
  j["hotspots"] = hotspots;
  return j;
}

}  // namespace

Json TruthToJson(const SceneTruth& t, const std::string& image_file) {
  Json punctures = Json::array();
  int visible = 0, faint = 0;
  for (const TruthPuncture& p : t.punctures) {
    punctures.push_back({{"x", p.x}, {"y", p.y}, {"radius_px", p.radius_px},
                         {"amplitude", p.amplitude}, {"d_prime", p.d_prime}, {"visible", p.visible}, {"faint", p.faint},
                         {"occluded", p.occluded}, {"glare", p.glare},
                         {"stamp", p.stamp}, {"needle", p.needle}});
    visible += p.visible;
    faint += p.faint;
  }
  Json polygon = Json::array();
  for (const cv::Point2d& p : t.treated_polygon) polygon.push_back(PointJson(p));

  Json j = {
      {"schema", kTruthSchema},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"scene",
       {{"name", t.name}, {"kind", SceneKindName(t.kind)}, {"seed", t.seed},
        {"image", image_file}, {"width", t.width}, {"height", t.height},
        {"mm_per_px", t.mm_per_px}, {"format", FileFormatExtension(t.format)},
        {"family", FamilyName(t.family)},
        {"surface", t.surface}, {"fitzpatrick", t.skin_type ? Json(t.skin_type) : Json(nullptr)}}},
      {"counts", {{"punctures", t.punctures.size()}, {"visible", visible}, {"faint", faint}}},
      {"punctures", punctures},
      {"treated_region", t.treated_polygon.empty() ? Json(nullptr) : Json{{"polygon", polygon}}},
      {"erythema",
       {{"delta_hemoglobin_inside", t.erythema.delta_hemoglobin_inside},
        {"hemoglobin_inside", t.erythema.hemoglobin_inside},
        {"hemoglobin_outside", t.erythema.hemoglobin_outside},
        {"a_star_inside", t.erythema.a_star_inside},
        {"a_star_outside", t.erythema.a_star_outside}}},
      {"pattern", PatternJson(t.pattern)},
      {"camera",
       {{"jpeg_quality", t.camera.jpeg_quality}, {"exposure", t.camera.exposure},
        {"wb_gain_rgb", {t.camera.wb_gain[2], t.camera.wb_gain[1], t.camera.wb_gain[0]}},
        {"blur_sigma_px", t.camera.blur_sigma_px}, {"noise_read", t.camera.noise_read},
        {"noise_shot", t.camera.noise_shot}, {"lens", t.camera.lens},
        {"defocus_radius_px", t.camera.defocus_radius_px},
        {"motion_length_px", t.camera.motion_length_px}, {"motion_angle_deg", t.camera.motion_angle_deg},
        {"bayer", t.camera.bayer}, {"jpeg_444", t.camera.jpeg_444},
        {"jpeg_first_quality", t.camera.jpeg_first_quality}, {"lighting", t.camera.lighting}}},
      {"confounders",
       {{"pores", t.confounders.pores}, {"freckles", t.confounders.freckles},
        {"moles", t.confounders.moles}, {"hairs", t.confounders.hairs},
        {"specks", t.confounders.specks}, {"vessels", t.confounders.vessels},
        {"angiomas", t.confounders.angiomas}, {"papules", t.confounders.papules},
        {"glints", t.confounders.glints}}},
  };
  if (t.stain_od) j["scene"]["stain_od"] = {t.stain_od->r, t.stain_od->g, t.stain_od->b};
  if (t.pair) {
    Json h = Json::array();
    for (int r = 0; r < 3; ++r) {
      h.push_back({t.pair->before_to_after(r, 0), t.pair->before_to_after(r, 1), t.pair->before_to_after(r, 2)});
    }
    j["pair"] = {{"role", t.pair->role}, {"partner", t.pair->partner},
                 {"homography_before_to_after", h},
                 {"healing_fraction", t.pair->healing_fraction},
                 {"puncture_persistence", t.pair->puncture_persistence}};
  }
  return j;
}

}  // namespace needlescope::synth
