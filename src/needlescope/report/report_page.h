#pragma once

// The frame every report page shares (docs/report.md): one HTML file with its CSS and script
// inline, images as data URIs, and a Content-Security-Policy that lets the page fetch nothing
// (no network, no fonts, no frames), so that it opens from disk anywhere and leaks nothing.

#include <string>

#include <nlohmann/json.hpp>

namespace needlescope::report {

struct Page {
  std::string title;     // plain text (escaped here)
  std::string subtitle;  // plain text (escaped here), e.g. the file name
  std::string body_html;  // the sections, already HTML (callers escape what they put in)
  std::string footer_html;  // method and version, already HTML
  // Handed to the page's script as window data (punctures to draw, …): a JSON object.
  nlohmann::ordered_json data = nlohmann::ordered_json::object();
};

// The whole page. The script draws each of data.marks ({layer: ID, colour: "score" or a CSS
// colour, points: [[x, y, radius_px, score], …] in photo pixels}) as circles into the SVG
// group ID (marking it data-drawn = the count), wires every checkbox with data-layer="ID" to show or
// hide element ID, every .viewer's zoom (wheel, drag, buttons with data-zoom) and every
// range input .slider to the width of its viewer's #after-clip.
std::string RenderPage(const Page& page);

}  // namespace needlescope::report
