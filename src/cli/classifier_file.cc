#include "cli/classifier_file.h"

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"

namespace needlescope::cli {

std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path,
                                                                     std::string* sha256) {
  // Read once ourselves for the usual errors (missing, unreadable, a directory, too big);
  // a schema /3 file from those bytes, YAML (/2) by OpenCV, which also inflates .gz.
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/64u << 20);
  if (sha256) *sha256 = Sha256Hex(bytes.data(), bytes.size());
  try {
    const std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    if (detect::PunctureClassifier::LooksBinary(text)) return detect::PunctureClassifier::FromBinary(text);
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
  constexpr const char* kFile = "puncture-classifier.bin";
  std::error_code ec;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> places;
  if (!ec) places.push_back((executable.parent_path() / NEEDLESCOPE_MODELS_FROM_BIN / kFile).lexically_normal());
  places.push_back(std::filesystem::path(NEEDLESCOPE_MODELS_DIR) / kFile);
  for (const auto& p : places) {
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  throw InputError(places.front().string(),
                   "default puncture classifier not found (nor at " + places.back().string() +
                       "); give --classifier FILE, or --classifier none for the colour thresholds");
}

}  // namespace needlescope::cli
