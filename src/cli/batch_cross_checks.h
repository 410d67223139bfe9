#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/batch_inputs.h"

namespace needlescope::cli {

// The flags that compare an input with those before it (in input order, so the same for
// any thread count): the same bytes, or a picture within a few bits of perceptual hash.
class DuplicateFinder {
 public:
  // Adds `duplicate` and `duplicate_of` to an ok record when an earlier input matches, then
  // remembers it.
  void Check(nlohmann::ordered_json* record, std::uint64_t hash, int near_bits);
  void Remember(const std::string& path, const std::string& sha, std::uint64_t hash);

 private:
  std::map<std::string, std::string> by_sha_;
  std::vector<std::pair<std::uint64_t, std::string>> by_hash_;
};

// For each input, the photo of the same patient whose camera time contradicts the manifest's
// session order (qc::OutOfOrderWith), or "". Reads each manifest photo's EXIF block from the
// first megabyte of the file, without decoding.
std::vector<std::string> OutOfOrderWith(const std::vector<BatchInput>& inputs);

}  // namespace needlescope::cli
