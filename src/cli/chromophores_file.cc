#include "cli/chromophores_file.h"

#include <nlohmann/json.hpp>

#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/version.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kSchema = "needlescope.chromophores/1";

color::Rgb ReadRgb(const nlohmann::json& doc, const char* key) {
  const auto& v = doc.at(key);
  if (!v.is_array() || v.size() != 3) throw std::runtime_error(std::string(key) + " must be [r, g, b]");
  return {v[0].get<double>(), v[1].get<double>(), v[2].get<double>()};
}

}  // namespace

std::string CalibrationToJson(const color::Calibration& c, int images) {
  const nlohmann::ordered_json doc = {
      {"schema", kSchema},
      {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
      {"melanin_rgb", {c.vectors.melanin[0], c.vectors.melanin[1], c.vectors.melanin[2]}},
      {"hemoglobin_rgb", {c.vectors.hemoglobin[0], c.vectors.hemoglobin[1], c.vectors.hemoglobin[2]}},
      {"units", "scaled to the literature vectors' shading-free lengths"},
      {"fit",
       {{"images", images}, {"samples", c.samples}, {"negentropy", c.negentropy},
        {"separation_deg", c.separation_deg},
        {"melanin_angle_to_literature_deg", c.melanin_angle_to_prior_deg},
        {"hemoglobin_angle_to_literature_deg", c.hemoglobin_angle_to_prior_deg}}},
  };
  return JsonText(doc);
}

color::ChromophoreVectors ReadChromophoresFile(const std::string& path) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/1u << 20);
  try {
    const nlohmann::json doc = nlohmann::json::parse(bytes.begin(), bytes.end());
    if (doc.at("schema") != kSchema) throw std::runtime_error(std::string("schema is not ") + kSchema);
    return {ReadRgb(doc, "melanin_rgb"), ReadRgb(doc, "hemoglobin_rgb"), "calibrated: " + path};
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a chromophore calibration: ") + e.what());
  }
}

}  // namespace needlescope::cli
