#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "needlescope/synth/scene.h"

namespace needlescope::synth {

inline constexpr const char* kTruthSchema = "needlescope.truth/1";

// Schema needlescope.truth/1, documented in docs/truth-format.md.
nlohmann::ordered_json TruthToJson(const SceneTruth& truth, const std::string& image_file);

}  // namespace needlescope::synth
