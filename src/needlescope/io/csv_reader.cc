#include "needlescope/io/csv_reader.h"

namespace needlescope {

std::vector<std::vector<std::string>> ParseCsv(std::string_view text, std::string* error) {
  error->clear();
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> row;
  std::string field;
  bool quoted = false, after_quote = false, row_has_text = false;
  int line = 1, quote_line = 0;
  auto end_row = [&] {
    if (row_has_text || !row.empty()) {
      row.push_back(std::move(field));
      rows.push_back(std::move(row));
    }
    row.clear();
    field.clear();
    row_has_text = after_quote = false;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
        after_quote = true;
      } else {
        if (ch == '\n') ++line;
        field += ch;
      }
      continue;
    }
    if (ch == ',') {
      row.push_back(std::move(field));
      field.clear();
      after_quote = false;
      row_has_text = true;
    } else if (ch == '\n' || ch == '\r') {
      if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      end_row();
      ++line;
    } else if (after_quote) {
      *error = "line " + std::to_string(line) + ": text after a closing quote";
      return {};
    } else if (ch == '"' && field.empty()) {
      quoted = true;
      quote_line = line;
      row_has_text = true;
    } else {
      field += ch;
      row_has_text = true;
    }
  }
  if (quoted) {
    *error = "line " + std::to_string(quote_line) + ": a quote that is never closed";
    return {};
  }
  end_row();
  return rows;
}

}  // namespace needlescope
