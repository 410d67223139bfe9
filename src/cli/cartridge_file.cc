#include "cli/cartridge_file.h"

#include <filesystem>
#include <set>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <cmath>

#include "cli/classifier_file.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"

namespace needlescope::cli {

namespace {

std::vector<std::string> KnownCartridgeNames() {
  namespace fs = std::filesystem;
  std::set<std::string> names;
  const std::string any = FindModelFile("cartridges/grid9.json");
  std::error_code ec;
  if (!any.empty()) {
    for (const auto& entry : fs::directory_iterator(fs::path(any).parent_path(), ec)) {
      if (entry.path().extension() == ".json") names.insert(entry.path().stem().string());
    }
  }
  return {names.begin(), names.end()};
}

}  // namespace

std::vector<validate::CartridgeLayout> ReadKnownCartridges() {
  std::vector<validate::CartridgeLayout> layouts;
  for (const std::string& name : KnownCartridgeNames()) layouts.push_back(ReadCartridge(name));
  return layouts;
}

std::string CartridgeJson(const validate::CartridgeLayout& layout) {
  nlohmann::ordered_json needles = nlohmann::ordered_json::array();
  // To 0.1 µm; "+ 0.0" turns -0.0 (a centred offset) into 0, so that writing a layout read
  // from this function's output gives the same text (found by tests/fuzz's round trip).
  auto micro = [](double mm) { return std::round(mm * 1e4) / 1e4 + 0.0; };
  for (const cv::Point2d& p : layout.needles_mm) needles.push_back({micro(p.x), micro(p.y)});
  return nlohmann::ordered_json{{"schema", "needlescope.cartridge/1"}, {"name", layout.name},
                                {"description", layout.description}, {"source", layout.source},
                                {"needles_mm", needles}}
             .dump(1) +
         "\n";
}

validate::CartridgeLayout ReadCartridge(const std::string& name_or_file, std::string* sha256) {
  namespace fs = std::filesystem;
  std::string path = name_or_file;
  const bool is_file = fs::path(name_or_file).extension() == ".json" || name_or_file.find('/') != std::string::npos;
  if (!is_file) {
    path = FindModelFile("cartridges/" + name_or_file + ".json");
    if (path.empty()) {
      const std::vector<std::string> names = KnownCartridgeNames();
      std::string list;
      for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
      throw InputError(name_or_file, "no such cartridge; known: " + (list.empty() ? "none found" : list) +
                                         " (or give a layout file, NAME.json)");
    }
  }
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, 16u << 20);
  if (sha256) *sha256 = Sha256Hex(bytes.data(), bytes.size());
  try {
    return validate::ParseCartridgeLayout(std::string(bytes.begin(), bytes.end()));
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a cartridge layout: ") + e.what());
  }
}

}  // namespace needlescope::cli
