#pragma once

// One text cell of a CSV file (RFC 4180): as it is, or in double quotes with its quotes
// doubled when it holds a comma, a quote or a line break. Photo names are the user's: "Smith,
// J - day 7.jpg" must stay one cell.

#include <string>
#include <string_view>

namespace needlescope {

inline std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char ch : text) {
    quoted += ch;
    if (ch == '"') quoted += '"';
  }
  return quoted + "\"";
}

}  // namespace needlescope
