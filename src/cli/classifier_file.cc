#include "cli/classifier_file.h"

#include <filesystem>
#include <stdexcept>

#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"

namespace needlescope::cli {

std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/64u << 20);
  try {
    return detect::PunctureClassifier::FromYaml(std::string(bytes.begin(), bytes.end()));
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a puncture classifier: ") + e.what());
  }
}

std::string DefaultClassifierPath() {
  const std::filesystem::path p = std::filesystem::path(NEEDLESCOPE_MODELS_DIR) / "puncture-classifier.yml";
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? p.string() : "";
}

}  // namespace needlescope::cli
