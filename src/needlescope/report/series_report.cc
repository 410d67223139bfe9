#include "needlescope/report/series_report.h"

#include <algorithm>
#include <cmath>

#include "needlescope/report/html_text.h"
#include "needlescope/report/report_page.h"
#include "needlescope/report/report_sections.h"
#include "needlescope/report/series_plot.h"
#include "needlescope/version.h"

namespace needlescope::report {
namespace {

// The plot's frame, in SVG user units.
constexpr double kWidth = 720, kHeight = 400, kLeft = 70, kRight = 20, kTop = 20, kBottom = 50;

std::string Curve(const healing::SeriesResult& s) {
  const SeriesRange range = SeriesPlotRange(s);
  const double t_max = range.days, y_max = range.level;
  const double w = kWidth - kLeft - kRight, h = kHeight - kTop - kBottom;
  const auto x_at = [&](double t) { return kLeft + w * t / t_max; };
  const auto y_at = [&](double y) { return kTop + h - h * std::max(y, 0.0) / y_max; };
  std::string svg = "<svg id=\"recovery-curve\" viewBox=\"0 0 " + Number(kWidth, 4) + " " + Number(kHeight, 4) +
                    "\" xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-label=\"recovery curve\" "
                    "style=\"max-width:760px;background:#fff;border:1px solid #d5dade\" font-size=\"12\">\n";
  svg += "<rect x=\"" + Number(kLeft, 4) + "\" y=\"" + Number(kTop, 4) + "\" width=\"" + Number(w, 4) + "\" height=\"" +
         Number(h, 4) + "\" fill=\"none\" stroke=\"#888\"/>\n";
  for (int k = 0; k <= 4; ++k) {  // ticks: 5 on each axis
    const double t = t_max * k / 4, y = y_max * k / 4;
    svg += "<text x=\"" + Number(x_at(t), 4) + "\" y=\"" + Number(kTop + h + 16, 4) + "\" text-anchor=\"middle\">" +
           Number(t, 2) + "</text>";
    svg += "<text x=\"" + Number(kLeft - 6, 4) + "\" y=\"" + Number(y_at(y) + 4, 4) + "\" text-anchor=\"end\">" +
           Number(y, 2) + "</text>\n";
  }
  svg += "<text x=\"" + Number(kLeft + w / 2, 4) + "\" y=\"" + Number(kHeight - 8, 4) +
         "\" text-anchor=\"middle\">days since the first photo</text>\n";
  if (s.fit) {
    std::string path;
    for (int i = 0; i <= 200; ++i) {
      const double t = t_max * i / 200;
      path += (i == 0 ? "M" : "L") + Number(x_at(t), 5) + " " + Number(y_at(healing::FittedAt(s, t)), 5);
    }
    svg += "<path id=\"fit-curve\" d=\"" + path + "\" fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\"/>\n";
  }
  for (const healing::TimePoint& p : s.points) {
    svg += "<circle class=\"point\" cx=\"" + Number(x_at(p.day), 5) + "\" cy=\"" + Number(y_at(healing::Followed(p)), 5) +
           "\" r=\"5\" fill=\"#c53030\"><title>day " + Number(p.day, 3) + ": " + Number(healing::Followed(p), 3) +
           " OD</title></circle>\n";
  }
  svg += "</svg>\n";
  return svg;
}

std::string Cell(const std::optional<double>& v, int digits = 3) { return v ? Number(*v, digits) : "–"; }

}  // namespace

std::string SeriesReportHtml(const healing::SeriesResult& s, const std::vector<std::string>& names, int failed,
                             const nlohmann::ordered_json& colour) {
  Page page;
  page.title = "Recovery over time";
  page.subtitle = std::to_string(s.points.size()) + " photos" + (names.empty() ? "" : ", from " + names.front());
  std::string body = "<h2>Recovery curve</h2>\n<p>" +
                     EscapeHtml(s.against_first ? "Redness lost since the first photo (hemoglobin, OD): "
                                                  "the first photo has no untreated skin to measure against."
                                                : "Excess redness over untreated skin (Δhemoglobin, OD).") +
                     "</p>\n" + Curve(s);
  body += "<div class=\"figures\">";
  if (s.fit && s.fit->rate_per_day > 0) {
    body += Figure("Half-life of the redness", "<span id=\"half-life\">" + Number(s.fit->half_life_days, 3) + "</span> days",
                   "time for the " + std::string(s.against_first ? "redness still to lose" : "excess redness") +
                       " to halve, from the fitted curve " +
                       (s.against_first ? "a (1 − e^(−kt))" : "a e^(−kt)") + "; fit R² " + Number(s.fit->r_squared, 3) +
                       " over " + std::to_string(s.fit->points) + " points",
                   /*value_is_html=*/true);
  } else {
    body += Figure("Half-life of the redness", "not measured", s.fit ? "the redness does not fall" : s.fit_note);
  }
  if (failed > 0) {
    body += Figure("Photos left out", std::to_string(failed), "could not be aligned or measured (the reasons were printed)");
  }
  body += "</div>\n<h2>Time points</h2>\n<table id=\"points\"><tr><th>photo</th><th>day</th><th>" +
          std::string(s.against_first ? "hemoglobin change since first" : "excess Δhemoglobin (OD)") +
          "</th><th>excess Δa*</th><th>redness resolved</th><th>punctures</th><th>colour</th></tr>\n";
  for (size_t i = 0; i < s.points.size(); ++i) {
    const healing::TimePoint& p = s.points[i];
    body += "<tr><td>" + EscapeHtml(i < names.size() ? names[i] : "") + "</td><td>" + Number(p.day, 3) + "</td><td>" +
            Cell(s.against_first ? p.hemoglobin_change : p.excess_hemoglobin) + "</td><td>" + Cell(p.excess_a_star) +
            "</td><td>" + (p.redness_resolution ? Number(100 * *p.redness_resolution, 2) + " %" : "–") + "</td><td>" +
            std::to_string(p.punctures) + "</td><td>" +
            EscapeHtml(i < colour.size() ? ColourStatement(colour[i]) : std::string("–")) + "</td></tr>\n";
  }
  body += "</table>\n";
  page.body_html = std::move(body);
  page.footer_html = "<p><b>Method.</b> Every photo is aligned onto the first and its redness measured against its "
                     "own untreated skin, the first photo's regions carried across; the curve is a least-squares "
                     "exponential (docs/compare.md, \"Series\").</p><p>needlescope " +
                     std::string(kVersion) + ", needlescope.series/1; the numbers are those of series.json.</p>";
  return RenderPage(page);
}

}  // namespace needlescope::report
