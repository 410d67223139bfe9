#include "cli/region_file.h"

#include <sstream>

#include <opencv2/imgproc.hpp>

#include "cli/common_options.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/uniformity/window.h"

namespace needlescope::cli {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::vector<cv::Point2d> ParsePolygonCsv(const std::string& text, const std::string& path) {
  std::istringstream in(text);
  std::string line;
  if (!std::getline(in, line)) throw InputError(path, "empty region file");
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line != "x,y") throw InputError(path, "region CSV must start with the header \"x,y\"");
  std::vector<cv::Point2d> polygon;
  for (int number = 2; std::getline(in, line); ++number) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::istringstream row(line);
    double x, y;
    char comma;
    if (!(row >> x >> comma >> y) || comma != ',' || !std::isfinite(x) || !std::isfinite(y)) {
      throw InputError(path, "line " + std::to_string(number) + " is not \"x,y\" numbers");
    }
    polygon.emplace_back(x, y);
  }
  if (polygon.size() < 3) throw InputError(path, "region polygon needs at least 3 vertices");
  // A polygon that crosses itself or repeats a vertex has no inside to measure; said here,
  // naming this file, rather than later as a fault of the photo it was given with.
  try {
    uniformity::Window::FromPolygon(polygon);
  } catch (const uniformity::WindowError& e) {
    throw InputError(path, std::string("region polygon: ") + e.what());
  }
  return polygon;
}

}  // namespace

redness::Region ReadRegionFile(const std::string& path) {
  redness::Region region;
  if (EndsWith(path, ".csv")) {
    const std::vector<std::uint8_t> bytes = ReadFileBytes(path, /*max_bytes=*/64u << 20);
    region.polygon = ParsePolygonCsv(std::string(bytes.begin(), bytes.end()), path);
    region.source = path + " (polygon)";
  } else {
    LoadOptions options;
    options.min_side_px = 1;
    const LoadedImage image = LoadImage(path, options);
    cv::cvtColor(image.bgr, region.mask, cv::COLOR_BGR2GRAY);
    region.source = path + " (mask)";
  }
  return region;
}

cv::Rect ParseRect(const std::string& text, const std::string& option) {
  std::istringstream in(text);
  int x, y, w, h;
  char c1, c2, c3;
  if (!(in >> x >> c1 >> y >> c2 >> w >> c3 >> h) || c1 != ',' || c2 != ',' || c3 != ',' || w <= 0 || h <= 0) {
    throw UsageError(option + " = " + text + ": must be x,y,w,h in px with w, h > 0");
  }
  return {x, y, w, h};
}

}  // namespace needlescope::cli
