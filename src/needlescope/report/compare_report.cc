#include "needlescope/report/compare_report.h"

#include <cmath>

#include "needlescope/report/html_text.h"
#include "needlescope/report/report_page.h"
#include "needlescope/report/report_sections.h"

namespace needlescope::report {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char* kPersistColour = "#f6892b";  // still visible after
constexpr const char* kFadedColour = "#3ddc84";    // closed

// "58 % (95 % interval 51–64 %)" from a share and its interval (either may be null).
std::string Percent(const Json& value, const Json& interval) {
  const std::optional<double> v = Num(value);
  if (!v) return "–";
  std::string text = Number(100 * *v, 2) + " %";
  if (interval.is_array() && interval.size() == 2 && Num(interval[0]) && Num(interval[1])) {
    text += " (95 % interval " + Number(100 * *Num(interval[0]), 2) + "–" + Number(100 * *Num(interval[1]), 2) + " %)";
  }
  return text;
}

std::string Viewer(const CompareReportInput& in) {
  const int w = in.before_size.width, h = in.before_size.height;
  const std::string size = std::to_string(w) + " " + std::to_string(h);
  std::string svg = "<svg viewBox=\"0 0 " + size + "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                    "aria-label=\"before and after, aligned\">\n<defs><clipPath id=\"after-clip\"><rect x=\"0\" y=\"0\" "
                    "width=\"" + std::to_string(w / 2) + "\" height=\"" + std::to_string(h) + "\"/></clipPath></defs>\n";
  svg += ImageElement(in.before_jpeg, "image/jpeg", w, h, "before-photo");
  svg += "<g clip-path=\"url(#after-clip)\" id=\"after-side\">" +
         ImageElement(in.after_aligned_jpeg, "image/jpeg", w, h, "after-photo") + "</g>\n";
  svg += "<line id=\"slider-line\" x1=\"" + std::to_string(w / 2) + "\" x2=\"" + std::to_string(w / 2) +
         "\" y1=\"0\" y2=\"" + std::to_string(h) + "\" stroke=\"#fff\" stroke-width=\"2\" vector-effect=\"non-scaling-stroke\"/>\n";
  const std::string outline = MaskOutlinePath(in.result->before.treated_mask);
  svg += "<g id=\"layer-region\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2\" stroke-dasharray=\"6 4\">";
  if (!outline.empty()) svg += "<path vector-effect=\"non-scaling-stroke\" d=\"" + outline + "\"/>";
  svg += "</g>\n<g id=\"layer-persisting\"></g>\n<g id=\"layer-faded\"></g>\n</svg>\n";

  std::string html = "<h2>Before and after, aligned</h2>\n<div class=\"toolbar\">";
  html += LayerToggle("layer-persisting", "Punctures still visible", true);
  html += LayerToggle("layer-faded", "Punctures closed", false);
  html += LayerToggle("layer-region", "Treated region", true);
  html += ZoomButtons() + "</div>\n<div class=\"viewer\">" + svg + "</div>\n";
  html += "<label>AFTER on the left of the line, BEFORE on the right: "
          "<input class=\"slider\" id=\"slider\" type=\"range\" min=\"0\" max=\"100\" value=\"50\"></label>\n";
  html += std::string("<div class=\"legend\"><span><span class=\"swatch\" style=\"background:") + kPersistColour +
          "\"></span>BEFORE puncture still visible in AFTER</span><span><span class=\"swatch\" style=\"background:" +
          kFadedColour + "\"></span>closed</span><span>AFTER is warped into BEFORE's frame (" +
          "registration error " + Number(Num(At(*in.compare, {"registration", "rmse_px"})).value_or(NAN), 2) +
          " px)</span></div>\n";
  return html;
}

std::string Figures(const Json& c) {
  const Json& healing = At(c, {"healing"});
  std::string html = "<h2>Healing</h2>\n<div class=\"figures\">";
  if (!At(healing, {"redness_resolution"}).is_null()) {
    html += Figure("Redness resolved",
                   Percent(At(healing, {"redness_resolution"}), At(healing, {"redness_resolution_ci95"})),
                   "share of the treatment's excess redness (Δhemoglobin against each photo's own untreated skin) "
                   "gone in AFTER; 100 % = back to untreated skin. By Δa*: " +
                       Percent(At(healing, {"redness_resolution_a_star"}), nullptr) +
                       ". Interval: block bootstrap over the treated region.");
  } else {
    const Json& against = At(healing, {"redness_against_before"});
    html += Figure("Redness change", "Δhemoglobin " + Text(At(against, {"delta_hemoglobin"})),
                   "no untreated skin in BEFORE: AFTER's treated area against BEFORE's (negative = less red)");
  }
  html += Figure("Punctures still visible",
                 Percent(At(healing, {"puncture_persistence"}), At(healing, {"puncture_persistence_ci95"})),
                 Text(At(healing, {"punctures_persisting"})) + " of " + Text(At(healing, {"punctures_compared"})) +
                     " BEFORE punctures are still seen at the same place in AFTER (Wilson interval); lower is "
                     "better healed");
  html += Figure("Healing score", Num(At(healing, {"score"})) ? Number(*Num(At(healing, {"score"})), 2) + " / 100" : "–",
                 "half redness resolved, half punctures closed (docs/compare.md)");
  const bool scaled = Num(At(c, {"punctures", "before_per_cm2"})).has_value();
  html += Figure("Punctures found", Text(At(c, {"punctures", "before"})) + " → " + Text(At(c, {"punctures", "after"})),
                 "BEFORE → AFTER, whole photos" +
                     (scaled ? " (" + Number(*Num(At(c, {"punctures", "before_per_cm2"}))) + " → " +
                                   Number(*Num(At(c, {"punctures", "after_per_cm2"}))) + " per cm²)"
                             : std::string(" (scale unknown: --mm-per-px gives per cm²)")) +
                     "; new in the treated region: " + Text(At(healing, {"new_punctures"})));
  html += Figure("Colour", At(c, {"colour", "before", "corrected"}) == true && At(c, {"colour", "after", "corrected"}) == true
                               ? "both corrected"
                               : "not both corrected",
                 "BEFORE " + ColourStatement(At(c, {"colour", "before"})) + "; AFTER " +
                     ColourStatement(At(c, {"colour", "after"})));
  html += "</div>\n";
  return html;
}

}  // namespace

std::string CompareReportHtml(const CompareReportInput& in) {
  const Json& c = *in.compare;
  const healing::CompareResult& r = *in.result;
  Page page;
  page.title = "Before and after";
  page.subtitle = in.before_name + " → " + in.after_name;
  page.body_html = Viewer(in) + Figures(c);
  Json persisting = Json::array(), faded = Json::array();
  for (size_t i = 0; i < r.punctures_before.size() && i < r.after_amplitude.size(); ++i) {
    const double amplitude = r.after_amplitude[i];
    if (!std::isfinite(amplitude)) continue;
    const Puncture& p = r.punctures_before[i];
    (amplitude >= r.persistence_min_amplitude ? persisting : faded).push_back(MarkPoint(p.x, p.y, p.radius_px, p.score));
  }
  page.data["marks"] = Json::array();
  page.data["marks"].push_back({{"layer", "layer-persisting"}, {"colour", kPersistColour}, {"points", std::move(persisting)}});
  page.data["marks"].push_back({{"layer", "layer-faded"}, {"colour", kFadedColour}, {"points", std::move(faded)}});
  page.footer_html = "<p><b>Method.</b> AFTER is aligned onto BEFORE by a homography (" +
                     EscapeHtml(Text(At(c, {"registration", "method"}))) + ", " +
                     Text(At(c, {"registration", "inliers"})) + " inliers). Each photo's redness is measured against "
                     "its own untreated skin, BEFORE's regions carried across (docs/compare.md).</p><p>needlescope " +
                     EscapeHtml(Text(At(c, {"tool", "version"}))) + ", " + EscapeHtml(Text(At(c, {"schema"}))) +
                     "; the numbers are those of the JSON file written beside this page.</p>";
  return RenderPage(page);
}

}  // namespace needlescope::report
