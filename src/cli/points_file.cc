#include "cli/points_file.h"

#include <cmath>
#include <sstream>

#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"

namespace needlescope::cli {
namespace {

std::vector<std::string> SplitCsvLine(std::string line) {
  if (!line.empty() && line.back() == '\r') line.pop_back();
  std::vector<std::string> cells;
  std::istringstream in(line);
  for (std::string cell; std::getline(in, cell, ',');) {
    const size_t a = cell.find_first_not_of(" \t\""), b = cell.find_last_not_of(" \t\"");
    cells.push_back(a == std::string::npos ? "" : cell.substr(a, b - a + 1));
  }
  return cells;
}

}  // namespace

std::vector<cv::Point2d> ReadPointsCsv(const std::string& path) {
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/256u << 20);
  std::istringstream in(std::string(bytes.begin(), bytes.end()));
  std::string line;
  if (!std::getline(in, line))
    throw InputError(path, "empty file (expected a header with x and y columns)");
  const std::vector<std::string> header = SplitCsvLine(line);
  int xi = -1, yi = -1;
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] == "x") xi = int(i);
    if (header[i] == "y") yi = int(i);
  }
  if (xi < 0 || yi < 0) throw InputError(path, "the header has no \"x\" and \"y\" columns");
  std::vector<cv::Point2d> points;
  for (int number = 2; std::getline(in, line); ++number) {
    const std::vector<std::string> cells = SplitCsvLine(line);
    if (cells.empty() || (cells.size() == 1 && cells[0].empty())) continue;
    double v[2];
    for (int k = 0; k < 2; ++k) {
      const size_t column = size_t(k == 0 ? xi : yi);
      size_t used = 0;
      try {
        if (column >= cells.size()) throw std::invalid_argument("missing");
        v[k] = std::stod(cells[column], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != cells[column].size() || !std::isfinite(v[k])) {
        throw InputError(path, "line " + std::to_string(number) + ": " + (k == 0 ? "x" : "y") +
                                   " is not a number");
      }
    }
    points.emplace_back(v[0], v[1]);
  }
  return points;
}

}  // namespace needlescope::cli
