#include "cli/batch_inputs.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "needlescope/io/csv_reader.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"

namespace needlescope::cli {
namespace fs = std::filesystem;
namespace {

bool HasImageExtension(const fs::path& path) {
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == ".jpg" || ext == ".jpeg" || ext == ".png" || ext == ".tif" || ext == ".tiff" || ext == ".webp";
}

// The key two spellings of one file share (for matching manifest rows to found files).
std::string SameFileKey(const std::string& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? fs::path(path).lexically_normal().string() : canonical.string();
}

// The manifest columns batch reads (docs/batch.md); others are reported and ignored.
const std::vector<std::string>& ManifestColumns() {
  static const std::vector<std::string> columns = {"path", "patient_id", "session_id", "taken_at",
                                                   "role", "area",       "mm_per_px",  "roi"};
  return columns;
}

}  // namespace

std::vector<BatchInput> ReadManifest(const std::string& csv_path, std::vector<std::string>* warnings) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(csv_path, 256ull << 20);
  std::string error;
  const auto rows = ParseCsv(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), &error);
  if (!error.empty()) throw InputError(csv_path, "not a CSV manifest: " + error);
  if (rows.empty()) throw InputError(csv_path, "empty manifest: needs a header row with a path column");
  const std::vector<std::string>& header = rows[0];
  std::map<std::string, size_t> column;
  for (size_t c = 0; c < header.size(); ++c) {
    const auto& known = ManifestColumns();
    if (std::find(known.begin(), known.end(), header[c]) == known.end()) {
      warnings->push_back(csv_path + ": unknown column '" + header[c] + "' ignored");
    } else {
      column[header[c]] = c;
    }
  }
  if (!column.count("path")) throw InputError(csv_path, "the manifest has no 'path' column");
  const fs::path folder = fs::path(csv_path).parent_path();
  std::vector<BatchInput> inputs;
  for (size_t r = 1; r < rows.size(); ++r) {
    const auto cell = [&](const std::string& name) -> std::string {
      const auto it = column.find(name);
      return it != column.end() && it->second < rows[r].size() ? rows[r][it->second] : "";
    };
    BatchInput in;
    const std::string where = csv_path + " row " + std::to_string(r + 1);
    if (rows[r].size() != header.size()) {
      in.manifest_error = where + ": " + std::to_string(rows[r].size()) + " fields, the header has " +
                          std::to_string(header.size());
    }
    const fs::path given = cell("path");
    if (given.empty()) {
      warnings->push_back(where + ": no path; row ignored");
      continue;
    }
    in.path = (given.is_absolute() ? given : folder / given).lexically_normal().string();
    for (const char* name : {"patient_id", "session_id", "taken_at", "role", "area"}) {
      if (!cell(name).empty()) in.manifest[name] = cell(name);
    }
    if (!cell("roi").empty()) {
      const fs::path roi = cell("roi");
      in.manifest["roi"] = (roi.is_absolute() ? roi : folder / roi).lexically_normal().string();
    }
    if (const std::string scale = cell("mm_per_px"); !scale.empty()) {
      char* end = nullptr;
      const double value = std::strtod(scale.c_str(), &end);
      if (end != scale.c_str() + scale.size() || !std::isfinite(value) || value <= 0) {
        if (in.manifest_error.empty()) in.manifest_error = where + ": mm_per_px = '" + scale + "' is not a positive number";
      } else {
        in.manifest["mm_per_px"] = value;
      }
    }
    inputs.push_back(std::move(in));
  }
  return inputs;
}

std::vector<BatchInput> CollectInputs(const std::vector<std::string>& paths, std::vector<BatchInput> manifest) {
  std::map<std::string, size_t> manifest_row;  // same-file key -> index in manifest
  for (size_t i = 0; i < manifest.size(); ++i) manifest_row.emplace(SameFileKey(manifest[i].path), i);
  std::vector<BatchInput> inputs;
  std::set<std::string> taken;
  const auto add = [&](const std::string& path) {
    const std::string key = SameFileKey(path);
    if (!taken.insert(key).second) return;
    BatchInput in;
    if (const auto it = manifest_row.find(key); it != manifest_row.end()) in = manifest[it->second];
    in.path = path;
    inputs.push_back(std::move(in));
  };
  for (const std::string& path : paths) {
    std::error_code ec;
    if (!fs::is_directory(path, ec)) {
      add(path);
      continue;
    }
    std::vector<std::string> found;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && HasImageExtension(it->path())) found.push_back(it->path().string());
    }
    if (ec) throw InputError(path, "cannot list the folder: " + ec.message());
    std::sort(found.begin(), found.end());
    for (const std::string& f : found) add(f);
  }
  for (const BatchInput& row : manifest) {
    if (taken.insert(SameFileKey(row.path)).second) inputs.push_back(row);
  }
  return inputs;
}

std::vector<BatchInput> ShardOf(const std::vector<BatchInput>& inputs, int k, int n) {
  std::vector<BatchInput> share;
  for (const BatchInput& in : inputs) {
    // A patient's photos stay in one shard: out_of_order compares them.
    const std::string key = in.manifest.contains("patient_id") ? "patient " + in.manifest["patient_id"].get<std::string>()
                                                               : "path " + in.path;
    const std::string hex = Sha256Hex(reinterpret_cast<const std::uint8_t*>(key.data()), key.size());
    if (std::stoull(hex.substr(0, 12), nullptr, 16) % static_cast<unsigned>(n) == static_cast<unsigned>(k)) {
      share.push_back(in);
    }
  }
  return share;
}

}  // namespace needlescope::cli
