#pragma once

// Text pieces of a self-contained HTML page: escaping, base64 data URIs, JSON that is safe
// inside a <script> element, and numbers printed for people.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace needlescope::report {

// `text` with & < > " ' replaced by entities: safe as element content and inside a quoted
// attribute. Every user string (file names, ids, EXIF text) goes through this.
std::string EscapeHtml(std::string_view text);

// RFC 4648 base64 (with padding).
std::string Base64(const std::uint8_t* bytes, size_t size);

// "data:<mime>;base64,..." for embedding an image in the page.
std::string DataUri(std::string_view mime, const std::vector<std::uint8_t>& bytes);

// `value` as JSON text that can sit inside <script type="application/json">: every '<'
// written as \u003c, so no string in it can close the element.
std::string ScriptJson(const nlohmann::ordered_json& value);

// `value` to `digits` significant digits without trailing zeros, as people read numbers
// ("164", "0.0412", "3230", "0.05").
std::string Number(double value, int digits = 3);

}  // namespace needlescope::report
