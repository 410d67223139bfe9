#include "needlescope/report/analysis_report.h"

#include <initializer_list>
#include <optional>

#include "needlescope/report/html_text.h"
#include "needlescope/report/report_page.h"
#include "needlescope/report/report_sections.h"

namespace needlescope::report {
namespace {

using Json = nlohmann::ordered_json;

std::string VerdictMeaning(const std::string& verdict) {
  if (verdict == "even") return "evenly spaced: more regular than random scatter, no gaps or clusters over 1 % of the area";
  if (verdict == "random") return "spaced like random scatter, as overlapping passes leave it";
  if (verdict == "gaps") return "untreated gaps cover 1 % of the treated area or more";
  if (verdict == "clustered") return "punctures bunch together (dense spots over 1 % of the area, or clumped spacing)";
  if (verdict == "sparse") return "too few punctures (fewer than 10, or below the target density)";
  return "";
}

std::string PolygonPoints(const Json& vertices) {
  std::string points;
  for (const Json& v : vertices) {
    if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number()) continue;
    points += Number(v[0].get<double>(), 6) + "," + Number(v[1].get<double>(), 6) + " ";
  }
  return points;
}

// The photo and its layers, in the photo's pixel coordinates.
std::string Viewer(const AnalysisReportInput& in, int width, int height) {
  const Json& a = *in.analysis;
  const Json& u = At(a, {"uniformity"});
  std::string svg = "<svg viewBox=\"0 0 " + std::to_string(width) + " " + std::to_string(height) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"photo with layers\">\n";
  svg += ImageElement(in.photo_jpeg, "image/jpeg", width, height, "photo");
  svg += "<g id=\"layer-redness\">" + ImageElement(in.redness.image, in.redness.mime.c_str(), width, height, "redness") + "</g>\n";
  svg += "<g id=\"layer-region\" fill=\"none\" stroke=\"#fff\" stroke-width=\"2\" stroke-dasharray=\"6 4\">";
  if (At(u, {"window", "type"}) == "polygon") {
    svg += "<polygon vector-effect=\"non-scaling-stroke\" points=\"" + PolygonPoints(At(u, {"window", "vertices"})) + "\"/>";
  }
  svg += "</g>\n<g id=\"layer-coverage\" stroke-width=\"2\">";
  for (const auto& [key, colour] : {std::pair{"gaps", "#f6892b"}, std::pair{"hotspots", "#e535c9"}}) {
    for (const Json& region : At(u, {key})) {
      svg += std::string("<polygon vector-effect=\"non-scaling-stroke\" fill=\"") + colour + "\" fill-opacity=\"0.3\" stroke=\"" +
             colour + "\" points=\"" + PolygonPoints(At(region, {"outline"})) + "\"/>";
    }
  }
  const Json& circle = At(u, {"largest_empty_circle"});
  if (Num(At(circle, {"radius_px"}))) {
    svg += "<circle vector-effect=\"non-scaling-stroke\" fill=\"none\" stroke=\"#3fd7f2\" stroke-dasharray=\"4 3\" cx=\"" +
           Number(*Num(At(circle, {"x"})), 6) + "\" cy=\"" + Number(*Num(At(circle, {"y"})), 6) + "\" r=\"" +
           Number(*Num(At(circle, {"radius_px"})), 6) + "\"/>";
  }
  svg += "</g>\n<g id=\"layer-punctures\"></g>\n</svg>\n";

  std::string html = "<h2>Photo</h2>\n<div class=\"toolbar\">";
  html += LayerToggle("layer-punctures", "Punctures", true);
  if (!in.redness.image.empty()) html += LayerToggle("layer-redness", "Redness heat map", false);
  html += LayerToggle("layer-coverage", "Coverage gaps and hotspots", true);
  html += LayerToggle("layer-region", "Treated region", true);
  html += ZoomButtons() + "</div>\n<div class=\"viewer\">" + svg + "</div>\n<div class=\"legend\">";
  html += "<span>punctures by score: <span class=\"ramp\"></span> 0 → 1</span>";
  if (!in.redness.image.empty()) {
    html += "<span>Δhemoglobin: <span class=\"ramp\"></span> 0 → " + Number(in.redness.top) + " OD</span>";
  }
  html += "<span><span class=\"swatch\" style=\"background:#f6892b\"></span>gap</span>"
          "<span><span class=\"swatch\" style=\"background:#e535c9\"></span>hotspot</span>"
          "<span><span class=\"swatch\" style=\"background:#3fd7f2\"></span>largest empty circle</span>"
          "<span><span class=\"swatch\" style=\"background:#fff\"></span>treated region (dashed)</span>"
          "<span>wheel or buttons to zoom, drag to pan</span></div>\n";
  return html;
}

std::string DensityFigure(const Json& a) {
  const Json& d = At(a, {"detection"});
  const std::optional<double> per_cm2 = Num(At(d, {"per_cm2"})), per_mpx = Num(At(d, {"per_megapixel"}));
  if (per_cm2) {
    return Figure("Density", Number(*per_cm2) + " per cm²",
                  Number(per_mpx.value_or(0)) + " per megapixel over the whole photo, at " +
                      Number(*Num(At(d, {"mm_per_px"})), 4) + " mm per pixel");
  }
  return Figure("Density", per_mpx ? Number(*per_mpx) + " per megapixel" : "–",
                "scale unknown: give --mm-per-px (or a cartridge) for punctures per cm²");
}

std::string UniformityFigures(const Json& a) {
  const Json& u = At(a, {"uniformity"});
  if (At(u, {"measured"}) == false) return Figure("Coverage", "not measured", Text(At(u, {"reason"})));
  std::string html;
  const std::string verdict = Text(At(u, {"verdict"}));
  const std::optional<double> score = Num(At(u, {"score"}));
  html += Figure("Coverage uniformity", score ? Number(*score, 2) + " / 100, " + verdict : "undefined",
                 (score ? VerdictMeaning(verdict) + ". Random scatter scores 50, an even grid 90 or more; gaps and "
                                                     "clusters lower it. "
                        : Text(At(u, {"undefined"})) + " ") +
                     "Measured over " + std::to_string(Num(At(u, {"n"})).value_or(0) > 0 ? int(*Num(At(u, {"n"}))) : 0) +
                     " punctures in the " + Text(At(u, {"window_source"})) + ".");
  const std::optional<double> gap = Num(At(u, {"gap_fraction"})), hot = Num(At(u, {"hotspot_fraction"}));
  const std::optional<double> gap_px = Num(At(u, {"gap_distance_px"}));
  const std::optional<double> mm = Num(At(a, {"detection", "mm_per_px"}));
  if (gap) {
    std::string distance = gap_px ? (mm ? Number(*gap_px * *mm, 2) + " mm" : Number(*gap_px, 3) + " px") : "the gap distance";
    html += Figure("Untreated gaps", Number(100 * *gap, 2) + " % of the area",
                   "farther than " + distance + " (1.5 × the mean spacing) from every puncture; under 1 % is good");
  }
  if (hot) {
    html += Figure("Hotspots", Number(100 * *hot, 2) + " % of the area",
                   "where punctures are more than twice as dense as on average; under 1 % is good");
  }
  const Json& circle = At(u, {"largest_empty_circle"});
  if (Num(At(circle, {"radius_px"}))) {
    const std::optional<double> radius_mm = Num(At(circle, {"radius_mm"}));
    html += Figure("Largest untreated spot", radius_mm ? Number(2 * *radius_mm, 2) + " mm across"
                                                       : Number(2 * *Num(At(circle, {"radius_px"})), 3) + " px across",
                   "the widest circle inside the treated region with no puncture in it (cyan)");
  }
  return html;
}

std::string RednessFigures(const Json& a) {
  const Json& r = At(a, {"redness"});
  if (r.is_null()) return Figure("Redness", "not measured", "this photo had no skin to measure (a test substrate?)");
  if (At(r, {"treated_region_found"}) != true) {
    return Figure("Redness", "not measured", "no treated region was found or given (--roi draws one)");
  }
  std::string html;
  const std::optional<double> da = Num(At(r, {"delta_a_star", "mean"})), dhb = Num(At(r, {"delta_hemoglobin", "mean"}));
  if (At(r, {"baseline_found"}) == false) {
    return Figure("Redness", "no untreated skin in frame",
                  "the treated area's own colour is measured, its difference from untreated skin is not");
  }
  if (da) {
    html += Figure("Redness against untreated skin", "Δa* " + Number(*da, 2),
                   "how much redder the treated skin is than this person's untreated skin (CIELAB a*, "
                   "mean; median " + Number(Num(At(r, {"delta_a_star", "p50"})).value_or(0), 2) +
                       "). About 2 is just visible side by side, 10 and more is clearly red.");
  }
  if (dhb) {
    html += Figure("Blood (hemoglobin) increase", Number(*dhb, 2) + " OD",
                   "treated minus untreated, in optical density along the hemoglobin colour (" +
                       Text(At(r, {"chromophore_vectors", "source"})) + ")");
  }
  if (const std::optional<double> area = Num(At(r, {"erythema_area_fraction"}))) {
    html += Figure("Reddened area", Number(100 * *area, 2) + " % of the treated skin",
                   "redder than 95 % of the untreated skin (" + Text(At(r, {"threshold_rule"})) + ")");
  }
  return html;
}

std::string QcSection(const Json& a) {
  std::string html = "<h2>Photo quality and warnings</h2>\n";
  const Json& flags = At(a, {"qc", "flags"});
  if (!flags.is_array()) html += "<p>Quality checks were not run on this photo.</p>\n";
  if (flags.is_array() && flags.empty()) html += "<p class=\"ok\">No quality flag: the photo passed every check.</p>\n";
  for (const Json& flag : flags) {
    html += "<p class=\"flag\"><b>" + EscapeHtml(Text(flag)) + "</b>: " + EscapeHtml(QcFlagMeaning(Text(flag))) + "</p>\n";
  }
  for (const Json& warning : At(a, {"warnings"})) {
    html += "<p class=\"flag\"><b>warning</b>: " + EscapeHtml(Text(warning)) + "</p>\n";
  }
  return html;
}

std::string Footer(const Json& a) {
  const Json& d = At(a, {"detection"});
  std::string html = "<p><b>Method.</b> Punctures: " + EscapeHtml(Text(At(d, {"decision"}))) + " (target " +
                     EscapeHtml(Text(At(d, {"target"}))) + "). Redness: chromophore separation against the "
                     "person's own untreated skin (docs/redness.md). Coverage: nearest-neighbour, gap and "
                     "hotspot statistics over the treated region (docs/uniformity.md).</p>";
  html += "<p>Photo: " + EscapeHtml(Text(At(a, {"image", "format"}))) + " " + Text(At(a, {"image", "width"})) + " × " +
          Text(At(a, {"image", "height"})) + " px, SHA-256 " + EscapeHtml(Text(At(a, {"image", "sha256"}))) + ". ";
  html += "needlescope " + EscapeHtml(Text(At(a, {"tool", "version"}))) + ", " + EscapeHtml(Text(At(a, {"schema"}))) +
          "; the numbers are those of the JSON file written beside this page.</p>";
  return html;
}

}  // namespace

std::string QcFlagMeaning(const std::string& flag) {
  static const std::pair<const char*, const char*> kMeanings[] = {
      {"blurred", "the photo is out of focus or shaken: fine detail (punctures) may be missed"},
      {"underexposed", "the photo is too dark: punctures and redness are measured in noise"},
      {"overexposed", "part of the skin is burnt out to white: colour there is lost"},
      {"colour_cast", "the light is strongly blue or green: redness figures are not comparable"},
      {"scale_unknown", "no mm per pixel: densities are per megapixel, not per cm²"},
      {"density_out_of_protocol", "the puncture density is outside the target range given"},
      {"coverage_gaps", "untreated gaps cover 1 % of the treated area or more"},
      {"excess_redness", "redness above the screening limit: check for an adverse reaction"},
      {"possible_bleeding", "a pool of blood larger than 40 punctures: check for bleeding"},
      {"no_treated_region", "no treated region was found in the photo"},
      {"duplicate", "the same (or nearly the same) photo appears more than once"},
      {"out_of_order", "the photo's time disagrees with the session order"},
  };
  for (const auto& [name, meaning] : kMeanings) {
    if (flag == name) return meaning;
  }
  return "";
}

std::string AnalysisReportHtml(const AnalysisReportInput& in) {
  const Json& a = *in.analysis;
  const int width = int(Num(At(a, {"image", "width"})).value_or(1));
  const int height = int(Num(At(a, {"image", "height"})).value_or(1));
  Page page;
  page.title = "Microneedling analysis";
  page.subtitle = in.shown_name;
  std::string body = Viewer(in, width, height);
  const Json& d = At(a, {"detection"});
  body += "<h2>Results</h2>\n<div class=\"figures\">";
  const int count = int(Num(At(d, {"count"})).value_or(At(a, {"punctures"}).size()));
  body += Figure("Punctures found", "<span id=\"puncture-count\">" + std::to_string(count) + "</span>",
                 "puncture sites over the whole photo; each is circled on the photo, coloured by the "
                 "detector's confidence",
                 /*value_is_html=*/true);
  body += DensityFigure(a) + UniformityFigures(a) + RednessFigures(a);
  const bool corrected = At(a, {"colour", "corrected"}) == true;
  body += Figure("Colour", corrected ? "corrected" : "not corrected",
                 ColourStatement(At(a, {"colour"})) +
                     (corrected ? "; redness is comparable with other corrected photos"
                                : ". Put a ColorChecker in the frame to compare redness across lamps and cameras"));
  body += "</div>\n";
  body += QcSection(a);
  page.body_html = std::move(body);
  page.footer_html = Footer(a);
  Json punctures = Json::array();
  for (const Json& p : At(a, {"punctures"})) {
    punctures.push_back(MarkPoint(Num(At(p, {"x"})).value_or(0), Num(At(p, {"y"})).value_or(0),
                                  Num(At(p, {"radius_px"})).value_or(0), Num(At(p, {"score"})).value_or(0)));
  }
  page.data["marks"] = Json::array();
  page.data["marks"].push_back({{"layer", "layer-punctures"}, {"colour", "score"}, {"points", std::move(punctures)}});
  return RenderPage(page);
}

}  // namespace needlescope::report
