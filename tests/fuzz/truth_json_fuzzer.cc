// Arbitrary bytes as a truth file (and, the same document, as an analysis result) through
// `eval`'s readers and scorer. `eval` turns any std::exception from them into "not a valid
// document" for that file; a crash, a hang or a read out of bounds is what this looks for.

#include <cstdint>
#include <cstdlib>
#include <exception>

#include <nlohmann/json.hpp>

#include "needlescope/eval/score.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) return 0;
  try {
    const auto truth = needlescope::eval::TruthFromJson(doc);
    if (truth.faint.size() != truth.points.size()) std::abort();
    const auto detections = needlescope::eval::DetectionsFromJson(doc);
    const auto score = needlescope::eval::ScoreImage(truth, detections);
    const auto& c = score.counts;
    int required = 0;
    for (const auto& p : truth.points) required += p.required;
    // Every required point is found or missed; every detection is matched or a false positive.
    if (c.fp < 0 || c.tp + c.fn != required || c.fp + static_cast<int>(score.matches.size()) != score.detections) {
      std::abort();
    }
  } catch (const std::exception&) {
  }
  return 0;
}
