#include "cli/classifier_file.h"

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "needlescope/io/atomic_write.h"
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
    // Plain YAML is checked before OpenCV parses it; a .gz is inflated by OpenCV itself, so
    // its text cannot be (docs/reliability.md: the one path left to OpenCV's reader as is).
    if (!(path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)) {
      detect::PunctureClassifier::CheckBase64Blocks(text);
    }
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

std::string FindModelFile(const std::string& relative) {
  std::error_code ec;
  const std::filesystem::path executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  std::vector<std::filesystem::path> places;
  if (!ec) places.push_back((executable.parent_path() / NEEDLESCOPE_MODELS_FROM_BIN / relative).lexically_normal());
  places.push_back(std::filesystem::path(NEEDLESCOPE_MODELS_DIR) / relative);
  for (const auto& p : places) {
    if (std::filesystem::is_regular_file(p, ec)) return p.string();
  }
  return "";
}

std::string DefaultClassifierPath() {
  const std::string found = FindModelFile("puncture-classifier.bin");
  if (found.empty()) {
    throw InputError(std::string(NEEDLESCOPE_MODELS_DIR) + "/puncture-classifier.bin",
                     "default puncture classifier not found (nor beside the executable); give --classifier FILE, "
                     "or --classifier none for the colour thresholds");
  }
  return found;
}

void WriteClassifierFile(const detect::PunctureClassifier& classifier, const std::string& path) {
  namespace fs = std::filesystem;
  const std::string name = fs::path(path).filename().string();
  const auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  if (ends_with(".yml") || ends_with(".yaml") || ends_with(".gz")) {
    // OpenCV writes the file itself (and compresses .gz): to a partial name, then renamed.
    const std::string partial = (fs::path(path).parent_path() / (".partial-" + name)).string();
    try {
      cv::FileStorage storage(partial, cv::FileStorage::WRITE_BASE64);
      if (!storage.isOpened()) throw std::runtime_error("cannot be opened for writing");
      classifier.Write(storage);
      storage.release();
    } catch (const std::exception& e) {
      std::error_code ignored;
      fs::remove(partial, ignored);
      throw InputError(path, std::string("cannot write the classifier: ") + e.what());
    }
    std::error_code ec;
    fs::rename(partial, path, ec);
    if (ec) throw InputError(path, "cannot write the classifier: " + ec.message());
  } else {
    WriteFileAtomically(path, classifier.ToBinary());
  }
  if (ReadClassifierFile(path)->ToBinary() != classifier.ToBinary())
    throw InputError(path, "the classifier written reads back as another model");
}

}  // namespace needlescope::cli
