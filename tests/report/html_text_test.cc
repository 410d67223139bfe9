#include "needlescope/report/html_text.h"

#include <gtest/gtest.h>

#include <cmath>

namespace needlescope::report {
namespace {

TEST(HtmlText, EscapesEveryCharacterThatCanOpenMarkupOrCloseAnAttribute) {
  EXPECT_EQ(EscapeHtml("x\"><img src=y onerror='alert(1)'>&"),
            "x&quot;&gt;&lt;img src=y onerror=&#39;alert(1)&#39;&gt;&amp;");
  EXPECT_EQ(EscapeHtml("plain café"), "plain café");
}

// RFC 4648, section 10.
TEST(HtmlText, Base64MatchesTheRfcVectors) {
  const auto b64 = [](const std::string& s) { return Base64(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()); };
  EXPECT_EQ(b64(""), "");
  EXPECT_EQ(b64("f"), "Zg==");
  EXPECT_EQ(b64("fo"), "Zm8=");
  EXPECT_EQ(b64("foo"), "Zm9v");
  EXPECT_EQ(b64("foob"), "Zm9vYg==");
  EXPECT_EQ(b64("fooba"), "Zm9vYmE=");
  EXPECT_EQ(b64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(DataUri("image/png", {0xff, 0xfe}), "data:image/png;base64,//4=");
}

// No string in the data can close the <script> element it sits in, and it still parses to
// the same value.
TEST(HtmlText, ScriptJsonCannotCloseItsElement) {
  const nlohmann::ordered_json value = {{"name", "</script><script>alert(1)</script>"}, {"n", 3}};
  const std::string text = ScriptJson(value);
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
  EXPECT_EQ(nlohmann::ordered_json::parse(text), value);
}

TEST(HtmlText, NumbersAreShownToTheirDigitsWithoutTrailingZeros) {
  EXPECT_EQ(Number(164.2862), "164");
  EXPECT_EQ(Number(0.05, 4), "0.05");
  EXPECT_EQ(Number(0.041234), "0.0412");
  EXPECT_EQ(Number(3230), "3230");
  EXPECT_EQ(Number(2.5, 3), "2.5");
  EXPECT_EQ(Number(-0.0001, 1), "-0.0001");
  EXPECT_EQ(Number(std::nan("")), "–");
}

}  // namespace
}  // namespace needlescope::report
