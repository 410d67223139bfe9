// needlescope uniformity --points P.csv (--rect x0,y0,x1,y1 | --window W.csv): coverage
// uniformity of a point set that a lab annotated itself (docs/uniformity.md).

#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "cli/points_file.h"
#include "needlescope/io/input_error.h"
#include "needlescope/pipeline/uniformity_json.h"
#include "needlescope/version.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope uniformity --points P.csv (--rect x0,y0,x1,y1 | --window W.csv) [options]\n"
    "How evenly points cover a window: spacing, Clark-Evans, quadrats, Voronoi areas, coverage,\n"
    "the largest empty circle, gaps and hotspots, a score 0-100 and a verdict (even, random,\n"
    "gaps, clustered, sparse). Points: CSV with x and y columns (px; others ignored). Prints a\n"
    "summary; --json writes the full section (docs/uniformity.md).";

}  // namespace

int RunUniformity(const std::vector<std::string>& args) {
  std::string points_path, window_path, rect, radii, target, quadrats = "4,8", json_path;
  double mm_per_px = 0, gap_distance = 0;
  po::options_description desc("uniformity options");
  desc.add_options()("points", po::value(&points_path)->required(),
                     "points CSV (header with x and y columns, px)")(
      "rect", po::value(&rect), "rectangular window x0,y0,x1,y1 (px)")(
      "window", po::value(&window_path),
      "polygon window CSV (x and y columns, px; a simple polygon)")(
      "mm-per-px", po::value(&mm_per_px)->default_value(0.0),
      "scale, when known: adds mm and per-cm² figures")(
      "effect-radius", po::value(&radii),
      "needle effect radii for coverage, comma-separated; px, or mm with an 'mm' suffix on the "
      "list (0.2,0.3mm)")("target-density", po::value(&target),
                          "protocol density MIN:MAX punctures per cm² (needs --mm-per-px)")(
      "quadrats", po::value(&quadrats)->default_value(quadrats),
      "quadrat grids k, comma-separated")(
      "gap-distance", po::value(&gap_distance)->default_value(0.0),
      "px; farther than this from every point is a gap; 0 = 1.5 x the mean spacing")(
      "json", po::value(&json_path), "write the uniformity JSON here ('-' = stdout)");
  po::positional_options_description positional;
  if (!ParseCommandLine(args, desc, positional, kUsage)) return kExitOk;
  if (rect.empty() == window_path.empty())
    throw UsageError("give exactly one of --rect and --window");

  uniformity::UniformityOptions options;
  options.mm_per_px = mm_per_px;
  options.gap_distance_px = gap_distance;
  SetPatternOptions(quadrats, radii, target, &options);
  if (std::string error = options.Check(); !error.empty()) throw UsageError(error);

  uniformity::Window window = uniformity::Window::Rectangle(0, 0, 1, 1);
  if (!rect.empty()) {
    const std::vector<double> r = ParseNumberList(rect, "--rect", ',');
    if (r.size() != 4) throw UsageError("--rect = " + rect + ": must be x0,y0,x1,y1");
    try {
      window = uniformity::Window::Rectangle(r[0], r[1], r[2], r[3]);
    } catch (const uniformity::WindowError& e) {
      throw UsageError("--rect = " + rect + ": " + e.what());
    }
  } else {
    try {
      window = uniformity::Window::FromPolygon(ReadPointsCsv(window_path));
    } catch (const uniformity::WindowError& e) {
      throw InputError(window_path, e.what());
    }
  }
  const std::vector<cv::Point2d> points = ReadPointsCsv(points_path);
  uniformity::UniformityResult result;
  try {
    result = uniformity::MeasureUniformity(points, window, options);
  } catch (const uniformity::WindowError& e) {
    throw InputError(points_path, e.what());
  }
  const nlohmann::ordered_json doc = UniformityToJson(result, window, options);
  if (!json_path.empty()) WriteJsonOutput(json_path, JsonText(doc));
  if (json_path != "-") {
    std::cout << "points " << result.n << ", window " << result.window_area_px << " px², "
              << result.intensity_per_mpx << " per MP";
    if (result.intensity_per_cm2) std::cout << ", " << *result.intensity_per_cm2 << " per cm²";
    std::cout << "\n";
    if (result.clark_evans) {
      std::cout << "nearest neighbour mean " << result.nn->mean << " px (CV " << result.nn->cv
                << "), Clark-Evans R " << result.clark_evans->naive << " (p "
                << result.clark_evans->p_two_sided << ")\n";
    }
    for (const auto& [radius, fraction] : result.coverage) {
      std::cout << "coverage at r = " << radius << " px: " << 100 * fraction << " %\n";
    }
    if (result.largest_empty_circle) {
      std::cout << "largest empty circle r = " << result.largest_empty_circle->radius << " px at ("
                << result.largest_empty_circle->centre.x << ", "
                << result.largest_empty_circle->centre.y << ")\n";
    }
    std::cout << "gaps " << result.gaps.size() << " (" << 100 * result.gap_fraction
              << " % of the window), hotspots " << result.hotspots.size() << " ("
              << 100 * result.hotspot_fraction << " %)\n";
    std::cout << "score "
              << (result.score ? std::to_string(int(std::lround(*result.score))) : "undefined")
              << ", verdict " << result.verdict << "\n";
    if (!result.undefined.empty()) std::cout << "note: " << result.undefined << "\n";
  }
  return kExitOk;
}

}  // namespace needlescope::cli
