// Arbitrary bytes as a puncture classifier (schema /3, the only one needlescope reads), then
// scoring a fixed set of candidates with whatever was accepted: a model that parses must
// never walk outside its trees or score outside [0, 1]. The YAML /2 reader is left out: only
// the training tool's --convert still uses it, through OpenCV's reader, which can hang
// (tests/detect/data/yaml-hang-open.yml, docs/reliability.md).

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>
#include <vector>

#include "needlescope/detect/puncture_classifier.h"

namespace {

std::vector<needlescope::detect::Candidate> FixedCandidates() {
  std::vector<needlescope::detect::Candidate> out;
  for (int i = 0; i < 16; ++i) {
    needlescope::detect::Candidate c;
    c.x = 10.0 + 7.0 * i;
    c.y = 20.0 + 3.0 * i;
    c.response = 0.02 * (i + 1);
    c.radius_px = 1.0 + 0.2 * i;
    c.delta_hemoglobin = -0.2 + 0.05 * i;
    c.delta_melanin = 0.3 - 0.04 * i;
    out.push_back(c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using needlescope::detect::PunctureClassifier;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const auto classifier = PunctureClassifier::FromBinary(text);
    static const auto candidates = FixedCandidates();
    for (const double score : classifier->Score(candidates)) {
      if (!(score >= 0.0 && score <= 1.0)) std::abort();
    }
  } catch (const std::exception&) {
    // ReadClassifierFile turns these into InputError("not a puncture classifier: ...")
  }
  return 0;
}
