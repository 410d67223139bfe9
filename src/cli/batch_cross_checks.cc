#include "cli/batch_cross_checks.h"

#include <fstream>

#include "needlescope/io/exif_orientation.h"
#include "needlescope/io/image_header.h"
#include "needlescope/qc/photo_quality.h"
#include "needlescope/qc/session_order.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;

// The camera time in a photo's EXIF block, or "" (none, or not in the first megabyte, where
// JPEG and PNG writers put it): read without decoding, for out_of_order.
std::string CameraTime(const std::string& path) {
  std::vector<std::uint8_t> prefix(1 << 20);
  std::ifstream in(path, std::ios::binary);
  in.read(reinterpret_cast<char*>(prefix.data()), static_cast<std::streamsize>(prefix.size()));
  prefix.resize(static_cast<size_t>(in.gcount()));
  try {
    const ImageHeader header = ParseImageHeader(prefix.data(), prefix.size(), path);
    if (header.exif_size == 0 || header.exif_offset + header.exif_size > prefix.size()) return "";
    return ReadExifDateTime(prefix.data() + header.exif_offset, header.exif_size);
  } catch (const std::exception&) {
    return "";  // an unreadable file is that input's error, reported when it is analysed
  }
}

}  // namespace

void DuplicateFinder::Check(Json* record, std::uint64_t hash, int near_bits) {
  const std::string path = (*record)["image"];
  const std::string sha = (*record)["sha256"].is_string() ? (*record)["sha256"].get<std::string>() : "";
  std::string of, kind;
  if (const auto it = by_sha_.find(sha); it != by_sha_.end() && it->second != path) {
    of = it->second;
    kind = "identical bytes";
  } else {
    for (const auto& [other_hash, other_path] : by_hash_) {
      if (other_path != path && qc::HashDistance(hash, other_hash) <= near_bits) {
        of = other_path;
        kind = "near (" + std::to_string(qc::HashDistance(hash, other_hash)) + " of 64 perceptual-hash bits differ)";
        break;
      }
    }
  }
  Remember(path, sha, hash);
  if (of.empty()) return;
  (*record)["flags"].push_back("duplicate");
  (*record)["duplicate_of"] = {{"image", of}, {"kind", kind}};
}

void DuplicateFinder::Remember(const std::string& path, const std::string& sha, std::uint64_t hash) {
  by_sha_.emplace(sha, path);
  by_hash_.emplace_back(hash, path);
}

std::vector<std::string> OutOfOrderWith(const std::vector<BatchInput>& inputs) {
  std::vector<qc::SessionPhoto> photos(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    const Json& m = inputs[i].manifest;
    if (!m.contains("patient_id") || !(m.contains("taken_at") || m.contains("session_id"))) continue;
    photos[i] = {m["patient_id"], m.value("taken_at", m.value("session_id", "")), CameraTime(inputs[i].path)};
  }
  std::vector<std::string> with(inputs.size());
  const std::vector<int> index = qc::OutOfOrderWith(photos);
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (index[i] >= 0) with[i] = inputs[static_cast<size_t>(index[i])].path;
  }
  return with;
}

}  // namespace needlescope::cli
