#include "cli/classifier_file.h"

#include <algorithm>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "needlescope/io/atomic_write.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"

namespace needlescope::cli {

namespace {

bool EndsWith(const std::string& name, const std::string& suffix) {
  return name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Whether `bytes` are a YAML model (schema /1 or /2): OpenCV writes "%YAML:1.0" first; a
// .yml.gz is gzip (1f 8b).
bool LooksLikeYamlModel(const std::vector<std::uint8_t>& bytes) {
  static const std::string kYaml = "%YAML";
  if (bytes.size() >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b) return true;
  return bytes.size() >= kYaml.size() && std::equal(kYaml.begin(), kYaml.end(), bytes.begin());
}

// A schema /3 model from a file's bytes, or InputError naming the file.
std::shared_ptr<const detect::PunctureClassifier> FromBinaryFile(const std::string& path,
                                                                 const std::vector<std::uint8_t>& bytes) {
  try {
    return detect::PunctureClassifier::FromBinary(
        std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  } catch (const std::exception& e) {
    throw InputError(path, std::string("not a puncture classifier: ") + e.what());
  }
}

}  // namespace

std::shared_ptr<const detect::PunctureClassifier> ReadClassifierFile(const std::string& path,
                                                                     std::string* sha256) {
  // Read once ourselves for the usual errors (missing, unreadable, a directory, too big).
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/64u << 20);
  if (sha256) *sha256 = Sha256Hex(bytes.data(), bytes.size());
  if (LooksLikeYamlModel(bytes)) {
    throw InputError(path, "not a puncture classifier: a YAML model, which needlescope no longer reads "
                           "(convert it once: needlescope-train-classifier --convert MODEL -o NEW.bin)");
  }
  return FromBinaryFile(path, bytes);
}

std::shared_ptr<const detect::PunctureClassifier> ReadAnyCompactClassifierFile(const std::string& path) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/64u << 20);
  if (!LooksLikeYamlModel(bytes)) return FromBinaryFile(path, bytes);
  try {
    if (!EndsWith(path, ".gz")) {
      return detect::PunctureClassifier::FromYaml(std::string(bytes.begin(), bytes.end()));
    }
    // OpenCV inflates a .gz itself, so its text is not checked first (see the header).
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

void CheckClassifierOutputName(const std::string& path) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (EndsWith(name, ".yml") || EndsWith(name, ".yaml") || EndsWith(name, ".gz"))
    throw InputError(path, "models are written as schema /3 (binary) only; name it .bin");
}

void WriteClassifierFile(const detect::PunctureClassifier& classifier, const std::string& path) {
  CheckClassifierOutputName(path);
  WriteFileAtomically(path, classifier.ToBinary());
  if (ReadClassifierFile(path)->ToBinary() != classifier.ToBinary())
    throw InputError(path, "the classifier written reads back as another model");
}

}  // namespace needlescope::cli
