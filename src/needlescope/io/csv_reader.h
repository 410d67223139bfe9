#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace needlescope {

// Parses CSV text (RFC 4180: fields in double quotes may hold commas, quotes doubled, and
// line breaks; CRLF or LF line ends; a UTF-8 byte-order mark is skipped). Returns the rows;
// blank lines are skipped. On malformed text (a quote that never closes, text after a
// closing quote) returns no rows and sets *error to the reason with the 1-based line.
std::vector<std::vector<std::string>> ParseCsv(std::string_view text, std::string* error);

}  // namespace needlescope
