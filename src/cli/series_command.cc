// needlescope series IMAGE... -o DIR: one treated area over time, every photo aligned to the
// first; redness and puncture counts per time point and an exponential recovery fit
// (docs/compare.md, "Series").

#include <cmath>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <sstream>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/compare_options.h"
#include "cli/exit_codes.h"
#include "cli/report_options.h"
#include "needlescope/pipeline/colour_correction.h"
#include "needlescope/healing/series.h"
#include "needlescope/pipeline/series_json.h"
#include "needlescope/report/series_plot.h"
#include "needlescope/report/series_report.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope series IMAGE... -o DIR [--times D0,D1,...] [options]\n"
    "Three or more photos of one treated area in time order. Every photo is aligned to the\n"
    "first; redness (against each photo's own baseline) and punctures are measured per time\n"
    "point, and excess redness is fitted with exp(-k t): half-life and goodness of fit. Without\n"
    "untreated skin in the first photo, the redness lost since it is fitted, a (1 - exp(-k t)).\n"
    "Times: --times in days, else each photo's EXIF DateTimeOriginal. Writes\n"
    "DIR/series.report.html (the recovery curve and the time points), DIR/series.csv and\n"
    "DIR/series.json; --pictures adds DIR/series.png. A photo that cannot be aligned is\n"
    "reported and left out (exit code 2).";

// Days since the epoch of an EXIF "YYYY:MM:DD HH:MM:SS", or NaN.
double ExifDays(const std::string& when) {
  std::tm tm{};
  std::istringstream in(when);
  in >> std::get_time(&tm, "%Y:%m:%d %H:%M:%S");
  if (in.fail()) return std::nan("");
  return double(timegm(&tm)) / 86400.0;
}

}  // namespace

int RunSeries(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> images;
  std::string times;
  CompareArgs compare_args;
  ReportArgs report_args;
  po::options_description desc("series options");
  desc.add_options()("image", po::value(&images)->multitoken()->required(),
                     "photos in time order (3 or more)")(
      "times", po::value(&times)->default_value(""), "days since the first photo, comma-separated");
  AddCompareOptions(desc, compare_args, "the first photo");
  AddReportOptions(desc, report_args);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  CheckReportArgs(report_args);
  if (images.size() < 3) throw UsageError("series needs 3 or more photos");
  std::vector<double> days;
  if (!times.empty()) {
    days = ParseNumberList(times, "--times", ',');
    if (days.size() != images.size()) throw UsageError("--times needs one value per photo");
  }

  const healing::CompareOptions options = MakeCompareOptions(compare_args, common);
  const ThreadLimit thread_limit(common.threads);
  LoadOptions load;
  load.max_megapixels = compare_args.photo.max_megapixels;

  ColourCorrectionOptions colour;
  colour.use_chart = ParseColourChart(compare_args.photo.colour_chart);
  TilingOptions tiling;
  tiling.tile_size_px = common.tile_size_px;
  std::vector<ColourRecord> colour_records(1);  // per point, in the points' order
  const LoadedImage first = LoadImage(images[0], load);
  const cv::Mat first_bgr = CorrectedForChart(first.bgr, colour, tiling, &colour_records[0]);
  const double first_exif_day = ExifDays(first.exif_datetime);
  if (days.empty() && std::isnan(first_exif_day)) throw InputError(images[0], "no EXIF capture time: give --times");
  // The first photo is every comparison's BEFORE: measured once. Without a treated region
  // nothing can be compared: one error for the series, not one per photo.
  std::optional<healing::Series> series;
  try {
    series.emplace(images[0], first_bgr, options);
  } catch (const redness::RegionError& e) {
    throw InputError(images[0], e.what());
  }
  std::vector<std::string> shown_names = {ShownName(report_args, images[0])};
  int failed = 0;
  for (size_t i = 1; i < images.size(); ++i) {
    try {
      const LoadedImage later = LoadImage(images[i], load);
      double day = 0;
      if (!times.empty()) {
        day = days[i] - days[0];
      } else {
        day = ExifDays(later.exif_datetime) - first_exif_day;
        if (std::isnan(day)) throw InputError(images[i], "no EXIF capture time: give --times");
      }
      ColourRecord colour_record;
      const cv::Mat later_bgr = CorrectedForChart(later.bgr, colour, tiling, &colour_record);
      registration::Registration aligned;
      try {
        aligned = series->Add(images[i], later_bgr, day);
      } catch (const registration::RegistrationError& e) {
        throw InputError(images[i], std::string("cannot be aligned onto ") + images[0] + ": " + e.what());
      } catch (const redness::RegionError& e) {
        throw InputError(images[i], e.what());
      }
      shown_names.push_back(ShownName(report_args, images[i]));
      colour_records.push_back(std::move(colour_record));
      if (!common.quiet) {
        std::cerr << "[" << i + 1 << "/" << images.size() << "] " << images[i] << ": aligned, " << aligned.inliers
                  << " inliers\n";
      }
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
    }
  }
  const healing::SeriesResult result = series->Finish();

  CreateOutputDirectory(common.out_dir);
  const std::filesystem::path dir(common.out_dir);
  const nlohmann::ordered_json document = SeriesToJson(result, failed, colour_records, compare_args.photo.mm_per_px);
  const std::string json = JsonText(document);
  if (compare_args.pictures) {
    std::vector<std::uint8_t> png;
    cv::imencode(".png", report::RenderSeriesPlot(result), png);
    WriteFileAtomically((dir / "series.png").string(), std::string(png.begin(), png.end()));
  }
  WriteFileAtomically((dir / "series.csv").string(), SeriesToCsv(result));
  if (!report_args.no_report) {
    const std::string page = (dir / "series.report.html").string();
    WriteFileAtomically(page, report::SeriesReportHtml(result, shown_names, failed, document.at("colour")));
    if (report_args.pdf) PrintReportToPdf(page, (dir / "series.report.pdf").string(), report_args.paper);
  }
  WriteFileAtomically((dir / "series.json").string(), json);
  if (!common.json_path.empty()) WriteJsonOutput(common.json_path, json);
  return failed > 0 ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
