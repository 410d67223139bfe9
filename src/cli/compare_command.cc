// needlescope compare BEFORE AFTER -o DIR: alignment and healing metrics of one treated area
// photographed twice (docs/compare.md).

#include <filesystem>
#include <iostream>
#include <opencv2/imgcodecs.hpp>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/compare_options.h"
#include "cli/exit_codes.h"
#include "cli/report_options.h"
#include "needlescope/pipeline/colour_correction.h"
#include "needlescope/report/compare_pictures.h"
#include "needlescope/report/compare_report.h"
#include "needlescope/report/display_layers.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/pipeline/compare_json.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/io/json_text.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope compare BEFORE AFTER -o DIR [options]\n"
    "Aligns AFTER onto BEFORE (a homography), measures each photo's redness against its own\n"
    "baseline with BEFORE's regions carried across, looks for BEFORE's punctures in AFTER,\n"
    "and writes DIR/<before>_vs_<after>.report.html (slider over the aligned pair, healing\n"
    "figures with 95 % intervals), .json (schema needlescope.compare/1) and .persistence.csv;\n"
    "--pictures adds .side_by_side.png and .difference.png. A pair that cannot be aligned\n"
    "exits 2 with the reason.";

std::string Stem(const std::string& path) { return std::filesystem::path(path).stem().string(); }

void WritePng(const std::string& path, const cv::Mat& image) {
  std::vector<std::uint8_t> png;
  cv::imencode(".png", image, png);
  WriteFileAtomically(path, std::string(png.begin(), png.end()));
}

}  // namespace

int RunCompare(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> images;
  CompareArgs compare_args;
  ReportArgs report_args;
  po::options_description desc("compare options");
  desc.add_options()("image", po::value(&images)->multitoken()->required(),
                     "BEFORE and AFTER photos");
  AddCompareOptions(desc, compare_args, "BEFORE");
  AddReportOptions(desc, report_args);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  CheckReportArgs(report_args);
  if (images.size() != 2) throw UsageError("compare takes exactly two photos, BEFORE and AFTER");

  const healing::CompareOptions options = MakeCompareOptions(compare_args, common);
  const ThreadLimit thread_limit(common.threads);

  LoadOptions load;
  load.max_megapixels = compare_args.photo.max_megapixels;
  const LoadedImage before = LoadImage(images[0], load);
  const LoadedImage after = LoadImage(images[1], load);
  // Each photo corrected by a colour chart in its own frame, if any: then lamps and cameras
  // that changed between the sessions do not enter the redness.
  ColourCorrectionOptions colour;
  colour.use_chart = ParseColourChart(compare_args.photo.colour_chart);
  ComparePhotos photos;
  photos.before_path = images[0];
  photos.after_path = images[1];
  photos.mm_per_px = compare_args.photo.mm_per_px;
  TilingOptions tiling;
  tiling.tile_size_px = common.tile_size_px;
  const cv::Mat before_bgr = CorrectedForChart(before.bgr, colour, tiling, &photos.before_colour);
  const cv::Mat after_bgr = CorrectedForChart(after.bgr, colour, tiling, &photos.after_colour);
  photos.before_size = before_bgr.size();
  photos.after_size = after_bgr.size();
  healing::CompareResult result;
  try {
    result = healing::ComparePair(before_bgr, after_bgr, options);
  } catch (const registration::RegistrationError& e) {
    throw InputError(images[1],
                     std::string("cannot be aligned onto ") + images[0] + ": " + e.what());
  } catch (const redness::RegionError& e) {
    throw InputError(images[0], e.what());
  }
  CreateOutputDirectory(common.out_dir);
  const std::string base =
      (std::filesystem::path(common.out_dir) / (Stem(images[0]) + "_vs_" + Stem(images[1])))
          .string();
  if (compare_args.pictures) {
    WritePng(base + ".side_by_side.png", report::RenderSideBySide(before_bgr, result));
    WritePng(base + ".difference.png", report::RenderHemoglobinDifference(before_bgr, result));
  }
  WriteFileAtomically(base + ".persistence.csv", PersistenceToCsv(result));
  const nlohmann::ordered_json document = CompareToJson(result, photos);
  const std::string json = JsonText(document);
  if (!report_args.no_report) {
    report::CompareReportInput page;
    page.compare = &document;
    page.result = &result;
    page.before_name = ShownName(report_args, images[0]);
    page.after_name = ShownName(report_args, images[1]);
    page.before_size = before_bgr.size();
    const cv::Size display = report::DisplaySize(before_bgr.size());
    page.before_jpeg = report::DisplayJpeg(before_bgr, display);
    page.after_aligned_jpeg = report::DisplayJpeg(result.after_aligned, display);
    WriteFileAtomically(base + ".report.html", report::CompareReportHtml(page));
    if (report_args.pdf) PrintReportToPdf(base + ".report.html", base + ".report.pdf", report_args.paper);
  }
  WriteFileAtomically(base + ".json", json);
  if (!common.json_path.empty()) WriteJsonOutput(common.json_path, json);
  if (!common.quiet && common.json_path != "-") {
    const auto text = [](const std::optional<double>& v) { return v ? std::to_string(*v) : std::string("undefined"); };
    std::cerr << images[1] << " -> " << images[0] << ": " << result.registration.inliers << " inliers, "
              << result.registration.rmse_px << " px; ";
    if (result.against_before) {
      std::cerr << "no untreated skin in BEFORE: hemoglobin against BEFORE "
                << result.against_before->delta_hemoglobin;
    } else {
      std::cerr << "redness resolution " << text(result.redness_resolution);
    }
    std::cerr << ", persistence " << text(result.puncture_persistence) << ", score " << text(result.score) << " -> "
              << base << ".json\n";
  }
  return kExitOk;
}

}  // namespace needlescope::cli
