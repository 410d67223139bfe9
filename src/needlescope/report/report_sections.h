#pragma once

// Pieces the report pages share: reading a results document defensively (a missing or null
// field is shown as "–", never a crash) and the HTML of a figure, a layer switch, zoom
// buttons and an embedded image.

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/core.hpp>

namespace needlescope::report {

// The value at `path` under `json`, or a null value when any step is missing.
const nlohmann::ordered_json& At(const nlohmann::ordered_json& json, std::initializer_list<const char*> path);
// A number, or nothing for null / missing / not a number.
std::optional<double> Num(const nlohmann::ordered_json& value);
// A string as is, a number printed, anything else "–". Not escaped.
std::string Text(const nlohmann::ordered_json& value);
// `value` rounded to `decimals` (for compact page data).
double Round(double value, int decimals);

// A figure box: a title, the value (escaped unless value_is_html) and what it means.
std::string Figure(const std::string& title, const std::string& value, const std::string& meaning,
                   bool value_is_html = false);
// A checkbox that shows or hides the element with id `layer` (report_page.h's script).
std::string LayerToggle(const std::string& layer, const std::string& label, bool checked);
// Zoom in, out and fit buttons for the next .viewer.
std::string ZoomButtons();
// An SVG <image> filling width × height (photo pixels) with `bytes` as a data URI; empty
// when there are no bytes.
std::string ImageElement(const std::vector<std::uint8_t>& bytes, const char* mime, int width, int height,
                         const std::string& id);

// Whether a photo's colour was corrected by a chart, in words, from its "colour" record
// (pipeline/colour_correction.h): "corrected by the ColorChecker in the frame (fit ΔE 0.9)"
// or "not corrected: <reason>". Not escaped.
std::string ColourStatement(const nlohmann::ordered_json& record);

// The outer outline of a mask's regions as an SVG path ("M x y L …Z" per region, vertices
// within `tolerance_px` of the traced outline), in the mask's pixel coordinates.
std::string MaskOutlinePath(const cv::Mat& mask, double tolerance_px = 1.5);

// Points for the page script (report_page.h): [x, y, radius_px, score] rounded for size.
nlohmann::ordered_json MarkPoint(double x, double y, double radius_px, double score);

}  // namespace needlescope::report
