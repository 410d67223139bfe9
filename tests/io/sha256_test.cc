#include "needlescope/io/sha256.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace needlescope {
namespace {

std::string Hash(const std::string& text) {
  return Sha256Hex(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

// Test vectors from FIPS 180-4 / NIST CSRC examples.
TEST(Sha256, MatchesNistVectors) {
  EXPECT_EQ(Hash(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hash("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Hash(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Messages of 55, 56 and 64 bytes cross the padding boundary (one or two final blocks).
TEST(Sha256, HandlesPaddingBoundaries) {
  EXPECT_EQ(Hash(std::string(55, 'a')),
            "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
  EXPECT_EQ(Hash(std::string(56, 'a')),
            "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a");
  EXPECT_EQ(Hash(std::string(64, 'a')),
            "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb");
}

// A null pointer with no bytes is the empty message (an empty file's buffer), not an error.
TEST(Sha256, NullPointerWithNoBytesIsTheEmptyMessage) {
  EXPECT_EQ(Sha256Hex(nullptr, 0), Hash(""));
}

}  // namespace
}  // namespace needlescope
