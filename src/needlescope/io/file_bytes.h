#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace needlescope {

// Reads a whole regular file into memory. Throws InputError naming the path when it is
// missing, not a regular file, unreadable, or larger than max_bytes (a guard against
// reading a device or an absurd file; the pixel cap is checked later from the header).
std::vector<std::uint8_t> ReadFileBytes(const std::string& path,
                                        std::uint64_t max_bytes = 4ull << 30);

}  // namespace needlescope
