#include "cli/photo_options.h"

#include <cmath>

namespace needlescope::cli {

void AddPhotoOptions(po::options_description& desc, PhotoArgs& a, const std::string& on) {
  const std::string where = on.empty() ? "" : " on " + on;
  const std::string carried = on.empty() ? "" : ", carried to the others through the alignment";
  desc.add_options()
      ("max-megapixels", po::value(&a.max_megapixels)->default_value(a.max_megapixels),
       "refuse images larger than this (MP), checked before decoding")
      ("roi", po::value(&a.roi)->default_value(""),
       ("treated region" + where + ": polygon CSV (header x,y; px) or mask image; default: estimated").c_str())
      ("reference-region", po::value(&a.reference)->default_value(""),
       ("untreated baseline region" + where + ", same forms; default: skin outside the treated region").c_str())
      ("white-patch", po::value(&a.white_patch)->default_value(""),
       ("neutral reference patch x,y,w,h (px)" + where + " for white balance" + carried +
        "; default: baseline skin").c_str())
      ("chromophores", po::value(&a.chromophores)->default_value(""),
       "camera calibration from `needlescope calibrate`; default: literature vectors")
      ("classifier", po::value(&a.classifier)->default_value(a.classifier),
       "puncture classifier (from tools/make-classifier.sh), or 'none' for the two\n"
       "colour thresholds; default: models/puncture-classifier.bin")
      ("mm-per-px", po::value(&a.mm_per_px)->default_value(0.0),
       "photo scale (mm per pixel), when known: adds punctures per cm²")
      ("colour-chart", po::value(&a.colour_chart)->default_value(a.colour_chart),
       "auto: a ColorChecker (24 patches) in the frame corrects the photo's colour before anything\n"
       "is measured (docs/report.md); none: never");
}

bool ParseColourChart(const std::string& text) {
  if (text != "auto" && text != "none") throw UsageError("--colour-chart = " + text + ": must be auto or none");
  return text == "auto";
}

void CheckScale(double mm_per_px) {
  if (!std::isfinite(mm_per_px) || mm_per_px < 0) {
    throw UsageError("--mm-per-px = " + std::to_string(mm_per_px) + ": must be > 0 (or 0: unknown)");
  }
}

}  // namespace needlescope::cli
