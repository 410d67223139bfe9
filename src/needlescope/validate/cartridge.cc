#include "needlescope/validate/cartridge.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "needlescope/uniformity/pattern_statistics.h"

namespace needlescope::validate {

double MedianNearestNeighbour(const std::vector<cv::Point2d>& points) {
  return uniformity::Summarise(uniformity::NearestNeighbourDistances(points)).median;
}

void DeriveLayoutGeometry(CartridgeLayout* layout) {
  const std::vector<cv::Point2d>& n = layout->needles_mm;
  layout->pitch_mm = MedianNearestNeighbour(n);
  layout->symmetry_deg.clear();
  layout->symmetry_permutation.clear();
  const double tolerance = 0.1 * layout->pitch_mm;
  for (int tenth = 0; tenth < 3600; ++tenth) {  // rotations in steps of 0.1 degree
    const double a = tenth * CV_PI / 1800, c = std::cos(a), s = std::sin(a);
    std::vector<int> lands_on(n.size(), -1);
    bool maps = true;
    for (size_t i = 0; i < n.size() && maps; ++i) {
      const cv::Point2d r(n[i].x * c - n[i].y * s, n[i].x * s + n[i].y * c);
      for (size_t j = 0; j < n.size(); ++j) {
        if (cv::norm(r - n[j]) < tolerance) lands_on[i] = static_cast<int>(j);
      }
      maps = lands_on[i] >= 0;
    }
    if (!maps) continue;
    // One entry per symmetry: the rotation steps near a symmetry all give the same map.
    const auto& known = layout->symmetry_permutation;
    if (std::find(known.begin(), known.end(), lands_on) != known.end()) continue;
    // Its angle: the least-squares rotation taking each needle to the one it lands on.
    double dot = 0, cross = 0;
    for (size_t i = 0; i < n.size(); ++i) {
      const cv::Point2d& from = n[i];
      const cv::Point2d& to = n[static_cast<size_t>(lands_on[i])];
      dot += from.x * to.x + from.y * to.y;
      cross += from.x * to.y - from.y * to.x;
    }
    const double degrees = std::fmod(std::atan2(cross, dot) * 180 / CV_PI + 360.0, 360.0);
    layout->symmetry_deg.push_back(std::round(degrees * 10) / 10 >= 360 ? 0.0 : std::round(degrees * 10) / 10);
    layout->symmetry_permutation.push_back(lands_on);
  }
}

CartridgeLayout ParseCartridgeLayout(const std::string& json_text) {
  const nlohmann::json doc = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object()) throw std::invalid_argument("not a JSON object");
  if (doc.value("schema", "") != "needlescope.cartridge/1") {
    throw std::invalid_argument("schema must be \"needlescope.cartridge/1\"");
  }
  CartridgeLayout layout;
  if (!doc.contains("name") || !doc["name"].is_string() || doc["name"].get<std::string>().empty()) {
    throw std::invalid_argument("needs a name (a non-empty string)");
  }
  layout.name = doc["name"];
  layout.description = doc.value("description", "");
  layout.source = doc.value("source", "");
  if (!doc.contains("needles_mm") || !doc["needles_mm"].is_array()) {
    throw std::invalid_argument("needs needles_mm: an array of [x, y] in mm, in index order");
  }
  for (const auto& p : doc["needles_mm"]) {
    if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number() ||
        !std::isfinite(p[0].get<double>()) || !std::isfinite(p[1].get<double>())) {
      throw std::invalid_argument("needles_mm[" + std::to_string(layout.needles_mm.size()) + "] is not [x, y] (numbers)");
    }
    layout.needles_mm.emplace_back(p[0].get<double>(), p[1].get<double>());
  }
  if (layout.needles_mm.size() < 3) throw std::invalid_argument("needs at least 3 needles");
  if (layout.needles_mm.size() > 1000) throw std::invalid_argument("more than 1000 needles");
  for (size_t i = 0; i < layout.needles_mm.size(); ++i) {
    for (size_t j = i + 1; j < layout.needles_mm.size(); ++j) {
      if (cv::norm(layout.needles_mm[i] - layout.needles_mm[j]) < 0.05) {
        throw std::invalid_argument("needles " + std::to_string(i) + " and " + std::to_string(j) +
                                    " are closer than 0.05 mm");
      }
    }
  }
  // Centred, so that a stamp's position is its layout's centre whatever the file's origin.
  cv::Point2d centre(0, 0);
  for (const cv::Point2d& p : layout.needles_mm) centre += p;
  centre *= 1.0 / layout.needles_mm.size();
  for (cv::Point2d& p : layout.needles_mm) p -= centre;
  DeriveLayoutGeometry(&layout);
  return layout;
}

}  // namespace needlescope::validate
