#pragma once

#include <cstddef>
#include <cstdint>

namespace needlescope::bytes {

// Unaligned big- and little-endian reads. Callers check bounds before calling.
inline std::uint32_t Be16(const std::uint8_t* p) { return (std::uint32_t{p[0]} << 8) | p[1]; }
inline std::uint32_t Be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         p[3];
}
inline std::uint32_t Le16(const std::uint8_t* p) { return (std::uint32_t{p[1]} << 8) | p[0]; }
inline std::uint32_t Le24(const std::uint8_t* p) {
  return (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) | p[0];
}
inline std::uint32_t Le32(const std::uint8_t* p) {
  return (std::uint32_t{p[3]} << 24) | (std::uint32_t{p[2]} << 16) | (std::uint32_t{p[1]} << 8) |
         p[0];
}

// Reads 16/32-bit values from a TIFF structure in its declared byte order.
struct TiffByteOrder {
  bool little_endian = true;
  std::uint32_t U16(const std::uint8_t* p) const { return little_endian ? Le16(p) : Be16(p); }
  std::uint32_t U32(const std::uint8_t* p) const { return little_endian ? Le32(p) : Be32(p); }
};

}  // namespace needlescope::bytes
