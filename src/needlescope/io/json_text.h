#pragma once

// A JSON document as the text every output file holds: indented by two, ending in a newline,
// and with any string that is not UTF-8 - a file name's raw bytes, which Linux allows -
// written with U+FFFD for each invalid byte. JSON must be UTF-8; nlohmann's plain dump()
// throws on such a string, which failed the whole run over one file's name.

#include <string>

#include <nlohmann/json.hpp>

namespace needlescope {

template <typename Json>
std::string JsonText(const Json& doc) {
  return doc.dump(2, ' ', /*ensure_ascii=*/false, Json::error_handler_t::replace) + "\n";
}

}  // namespace needlescope
