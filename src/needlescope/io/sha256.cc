#include "needlescope/io/sha256.h"

#include <openssl/evp.h>

#include <stdexcept>

namespace needlescope {

std::string Sha256Hex(const std::uint8_t* data, std::size_t size) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  // EVP_Digest fails only when libcrypto cannot allocate or its provider is missing: there is
  // no result to record then, so this is an error, never an empty or partial hash.
  if (EVP_Digest(data, size, digest, &digest_size, EVP_sha256(), nullptr) != 1 || digest_size != 32) {
    throw std::runtime_error("SHA-256: OpenSSL's libcrypto could not compute the digest");
  }
  static const char kHex[] = "0123456789abcdef";
  std::string hex(2 * digest_size, '0');
  for (unsigned int i = 0; i < digest_size; ++i) {
    hex[2 * i] = kHex[digest[i] >> 4];
    hex[2 * i + 1] = kHex[digest[i] & 0xF];
  }
  return hex;
}

}  // namespace needlescope
