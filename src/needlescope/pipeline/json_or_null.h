#pragma once

// A number that may be absent, as JSON: the value, or null.

#include <optional>

#include <nlohmann/json.hpp>

namespace needlescope {

inline nlohmann::ordered_json JsonOrNull(const std::optional<double>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

}  // namespace needlescope
