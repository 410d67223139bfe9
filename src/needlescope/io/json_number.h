#pragma once

// A whole number from a JSON value a user's file holds, as an int in [lo, hi]. nlohmann's
// get<int>() of 1e102 is an undefined float-to-int conversion, and of 2^40 another number
// (both found by tests/fuzz), so readers take whole numbers through this instead.

#include <cstdint>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>

namespace needlescope {

inline std::optional<int> WholeNumber(const nlohmann::json& v, int lo = std::numeric_limits<int>::min(),
                                      int hi = std::numeric_limits<int>::max()) {
  std::int64_t n = 0;
  if (v.is_number_unsigned()) {
    if (hi < 0 || v.get<std::uint64_t>() > std::uint64_t(hi)) return std::nullopt;
    n = std::int64_t(v.get<std::uint64_t>());
  } else if (v.is_number_integer()) {
    n = v.get<std::int64_t>();
  } else {
    return std::nullopt;  // a float (1.5, 1e102), or not a number
  }
  if (n < lo || n > hi) return std::nullopt;
  return int(n);
}

}  // namespace needlescope
