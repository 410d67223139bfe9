// needlescope calibrate IMAGE... -o FILE: the camera's melanin and hemoglobin directions.

#include <iostream>

#include "cli/chromophores_file.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/color/color_maps.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/tiling/thread_control.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope calibrate IMAGE... -o FILE [options]\n"
    "Estimates this camera's melanin and hemoglobin directions by independent component\n"
    "analysis pooled over many photos of skin from the same camera (a few dozen, with some\n"
    "freckles, moles and redness among them), and writes them for `analyze --chromophores`.\n"
    "See docs/redness.md, \"Calibrating a camera\".";

}  // namespace

int RunCalibrate(const std::vector<std::string>& args) {
  CommonOptions common;
  std::vector<std::string> images;
  std::string out;
  int per_image = 100000;
  po::options_description desc("calibrate options");
  desc.add_options()
      ("image", po::value(&images)->multitoken()->required(), "photos from one camera")
      ("out,o", po::value(&out)->required(), "calibration file to write (JSON)")
      ("samples-per-image", po::value(&per_image)->default_value(per_image),
       "skin pixels sampled per photo (on a regular grid)");
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  if (per_image < 1000) throw UsageError("--samples-per-image must be >= 1000");
  const ThreadLimit thread_limit(common.threads);

  std::vector<cv::Vec2d> samples;
  int used = 0, failed = 0;
  for (size_t i = 0; i < images.size(); ++i) {
    try {
      const LoadedImage image = LoadImage(images[i], LoadOptions{});
      const cv::Mat skin = color::ComputeSkinMask(image.bgr, TilingOptions{common.tile_size_px});
      const std::vector<cv::Vec2d> s = color::CalibrationSamples(image.bgr, skin, per_image);
      samples.insert(samples.end(), s.begin(), s.end());
      ++used;
      if (!common.quiet) std::cerr << "[" << i + 1 << "/" << images.size() << "] " << images[i] << ": " << s.size() << " samples\n";
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
    }
  }
  color::Calibration calibration;
  try {
    calibration = color::Calibrate(samples, color::LiteratureVectors());
  } catch (const std::runtime_error& e) {
    std::cerr << "needlescope: error: " << out << ": cannot calibrate: " << e.what() << "\n";
    return kExitBadInput;
  }
  WriteFileAtomically(out, CalibrationToJson(calibration, used));
  if (!common.quiet) {
    std::cerr << "wrote " << out << " from " << used << " photo(s): melanin "
              << calibration.melanin_angle_to_prior_deg << " deg and hemoglobin "
              << calibration.hemoglobin_angle_to_prior_deg << " deg from the literature vectors\n";
  }
  return failed ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
