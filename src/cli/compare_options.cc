#include "cli/compare_options.h"

#include <cmath>

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "cli/region_file.h"

namespace needlescope::cli {

void AddCompareOptions(po::options_description& desc,
                       CompareArgs& a,
                       const std::string& reference_photo) {
  desc.add_options()(
      "roi", po::value(&a.roi)->default_value(""),
      ("treated region on " + reference_photo + " (polygon CSV or mask); default: estimated")
          .c_str())(
      "reference-region", po::value(&a.reference)->default_value(""),
      ("baseline region on " + reference_photo + "; default: the skin outside the treated region")
          .c_str())(
      "white-patch", po::value(&a.white_patch)->default_value(""),
      ("neutral card x,y,w,h (px) on " + reference_photo +
       ", found again in the others through the alignment; without untreated skin it takes a "
       "white-balance change out of the redness")
          .c_str())("chromophores", po::value(&a.chromophores)->default_value(""),
                    "camera calibration (needlescope calibrate)")(
      "classifier", po::value(&a.classifier)->default_value(a.classifier),
      "puncture classifier, or 'none'")(
      "max-megapixels", po::value(&a.max_megapixels)->default_value(a.max_megapixels),
      "refuse images larger than this (MP), checked before decoding")(
      "pictures", po::bool_switch(&a.pictures), "also write the full-size PNG pictures (the report page has them reduced)")(
      "mm-per-px", po::value(&a.mm_per_px)->default_value(0.0),
      "the photos' scale (mm per pixel), when known: adds punctures per cm²")(
      "colour-chart", po::value(&a.colour_chart)->default_value(a.colour_chart),
      "auto: a ColorChecker in a photo's frame corrects its colour before it is measured; none: never");
}

healing::CompareOptions MakeCompareOptions(const CompareArgs& a, const CommonOptions& common) {
  healing::CompareOptions options;
  if (!a.chromophores.empty()) options.redness.vectors = ReadChromophoresFile(a.chromophores);
  options.registration.vectors = options.redness.vectors;
  if (!a.roi.empty()) options.redness.roi = ReadRegionFile(a.roi);
  if (!a.reference.empty()) options.redness.reference = ReadRegionFile(a.reference);
  if (!a.white_patch.empty()) options.redness.white_patch = ParseRect(a.white_patch, "--white-patch");
  const std::string classifier = a.classifier == "default" ? DefaultClassifierPath() : a.classifier;
  if (!classifier.empty() && classifier != "none")
    options.detect.classifier = ReadClassifierFile(classifier);
  options.redness.tiling.tile_size_px = options.detect.tiling.tile_size_px = common.tile_size_px;
  if (!(a.mm_per_px >= 0) || !std::isfinite(a.mm_per_px)) {
    throw UsageError("--mm-per-px = " + std::to_string(a.mm_per_px) + ": must be > 0 (or 0: unknown)");
  }
  if (std::string error = options.Check(); !error.empty()) throw UsageError(error);
  return options;
}

}  // namespace needlescope::cli
