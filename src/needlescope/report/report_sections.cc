#include "needlescope/report/report_sections.h"

#include <cmath>

#include <opencv2/imgproc.hpp>

#include "needlescope/report/html_text.h"

namespace needlescope::report {

const nlohmann::ordered_json& At(const nlohmann::ordered_json& json, std::initializer_list<const char*> path) {
  static const nlohmann::ordered_json kNull = nullptr;
  const nlohmann::ordered_json* at = &json;
  for (const char* key : path) {
    if (!at->is_object()) return kNull;
    const auto found = at->find(key);
    if (found == at->end()) return kNull;
    at = &*found;
  }
  return *at;
}

std::optional<double> Num(const nlohmann::ordered_json& value) {
  if (!value.is_number()) return std::nullopt;
  const double v = value.get<double>();
  if (!std::isfinite(v)) return std::nullopt;
  return v;
}

std::string Text(const nlohmann::ordered_json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  if (value.is_number()) return Number(value.get<double>());
  if (value.is_boolean()) return value.get<bool>() ? "yes" : "no";
  return "–";
}

double Round(double value, int decimals) {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string Figure(const std::string& title, const std::string& value, const std::string& meaning, bool value_is_html) {
  return "<div class=\"figure\"><div>" + EscapeHtml(title) + "</div><div class=\"value\">" +
         (value_is_html ? value : EscapeHtml(value)) + "</div><div class=\"what\">" + EscapeHtml(meaning) +
         "</div></div>\n";
}

std::string LayerToggle(const std::string& layer, const std::string& label, bool checked) {
  return "<label><input type=\"checkbox\" data-layer=\"" + EscapeHtml(layer) + "\"" + (checked ? " checked" : "") +
         "> " + EscapeHtml(label) + "</label>";
}

std::string ZoomButtons() {
  return "<span><button type=\"button\" data-zoom=\"in\" title=\"zoom in\">+</button> "
         "<button type=\"button\" data-zoom=\"out\" title=\"zoom out\">−</button> "
         "<button type=\"button\" data-zoom=\"fit\" title=\"whole photo\">fit</button></span>";
}

std::string ImageElement(const std::vector<std::uint8_t>& bytes, const char* mime, int width, int height,
                         const std::string& id) {
  if (bytes.empty()) return "";
  return "<image id=\"" + EscapeHtml(id) + "\" x=\"0\" y=\"0\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) + "\" preserveAspectRatio=\"none\" href=\"" + DataUri(mime, bytes) + "\"/>\n";
}

std::string ColourStatement(const nlohmann::ordered_json& record) {
  if (At(record, {"corrected"}) == true) {
    return "corrected by the ColorChecker in the frame (fit: mean ΔE00 " + Text(At(record, {"loss"})) + ")";
  }
  const nlohmann::ordered_json& reason = At(record, {"reason"});
  return "not corrected: " + (reason.is_string() ? reason.get<std::string>() : std::string("no record"));
}

std::string MaskOutlinePath(const cv::Mat& mask, double tolerance_px) {
  if (mask.empty() || cv::countNonZero(mask) == 0) return "";
  std::vector<std::vector<cv::Point>> contours;
  cv::findContours(mask, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
  std::string path;
  for (const std::vector<cv::Point>& contour : contours) {
    std::vector<cv::Point> simple;
    cv::approxPolyDP(contour, simple, tolerance_px, /*closed=*/true);
    if (simple.size() < 3) continue;
    for (size_t i = 0; i < simple.size(); ++i) {
      path += (i == 0 ? "M" : "L") + std::to_string(simple[i].x) + " " + std::to_string(simple[i].y);
    }
    path += "Z";
  }
  return path;
}

nlohmann::ordered_json MarkPoint(double x, double y, double radius_px, double score) {
  return {Round(x, 1), Round(y, 1), Round(radius_px, 2), Round(score, 3)};
}

}  // namespace needlescope::report
