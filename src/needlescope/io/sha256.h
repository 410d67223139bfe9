#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace needlescope {

// SHA-256 (FIPS 180-4) of a byte buffer, as 64 lower-case hex digits. Recorded with every
// result so a lab can prove which file a number was measured on. Computed by OpenSSL's
// libcrypto (a maintained implementation that uses the processor's SHA instructions).
std::string Sha256Hex(const std::uint8_t* data, std::size_t size);

}  // namespace needlescope
