#pragma once

// The `uniformity` section of the analysis JSON and of `needlescope uniformity --json`
// (docs/output-format.md, docs/uniformity.md). Undefined values are null, with the reason
// in "undefined" (or "cdf_note" for the Clark-Evans cdf correction).

#include <nlohmann/json.hpp>

#include "needlescope/uniformity/uniformity.h"

namespace needlescope {

nlohmann::ordered_json UniformityToJson(const uniformity::UniformityResult& result, const uniformity::Window& window,
                                        const uniformity::UniformityOptions& options);

}  // namespace needlescope
