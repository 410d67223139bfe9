#pragma once

#include <nlohmann/json.hpp>

#include "needlescope/redness/redness.h"

namespace needlescope {

// The `redness` section of the analysis document (docs/redness.md).
nlohmann::ordered_json RednessToJson(const redness::RednessResult& r);

}  // namespace needlescope
