#include "cli/classifier_file.h"

#include <filesystem>
#include <stdexcept>

#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"

namespace needlescope::cli {

std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path) {
  // Read once ourselves for the usual errors (missing, unreadable, a directory, too big),
  // then by OpenCV, which also inflates .gz.
  ReadFileBytes(path, /*max_bytes=*/64u << 20);
  try {
    cv::FileStorage storage;
    try {
      storage.open(path, cv::FileStorage::READ);
    } catch (const cv::Exception&) {
      throw std::runtime_error("not YAML");
    }
    if (!storage.isOpened()) throw std::runtime_error("not YAML");
    return detect::PunctureClassifier::Read(storage);
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a puncture classifier: ") + e.what());
  }
}

std::string DefaultClassifierPath() {
  const std::filesystem::path p = std::filesystem::path(NEEDLESCOPE_MODELS_DIR) / "puncture-classifier.yml.gz";
  std::error_code ec;
  return std::filesystem::is_regular_file(p, ec) ? p.string() : "";
}

}  // namespace needlescope::cli
