#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace needlescope::cli {

// One photo of a batch: the path as given (or as found in a folder, or as the manifest names
// it, joined to the manifest's folder), and what the manifest says of it.
struct BatchInput {
  std::string path;
  // patient_id, session_id, taken_at, role, area, roi (strings) and mm_per_px (a number),
  // those the manifest gives; empty when the photo has no manifest row.
  nlohmann::ordered_json manifest = nlohmann::ordered_json::object();
  std::string manifest_error;  // a row that cannot be used: this photo's error
};

// Reads a manifest CSV (header row with at least `path`). Its relative paths are taken
// from the manifest's folder. Throws InputError naming the file for malformed CSV or a
// missing path column; reports unknown columns in *warnings.
std::vector<BatchInput> ReadManifest(const std::string& csv_path, std::vector<std::string>* warnings);

// The photos to analyse: each PATH (a folder: the files under it, recursively, whose
// extension is an image's — .jpg .jpeg .png .tif .tiff .webp, any case — sorted), then the
// manifest's photos not already among them, in its order. A manifest row's fields go with
// its photo. A PATH that does not exist stays an input (it becomes that input's error).
std::vector<BatchInput> CollectInputs(const std::vector<std::string>& paths, std::vector<BatchInput> manifest);

// The share of `inputs` that shard k of n takes (0 <= k < n): by a hash of the manifest's
// patient_id (a patient's photos stay together), else of the path as given; so each input
// falls in exactly one shard whatever the others are.
std::vector<BatchInput> ShardOf(const std::vector<BatchInput>& inputs, int k, int n);

}  // namespace needlescope::cli
