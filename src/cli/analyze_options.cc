#include "cli/analyze_options.h"

#include <filesystem>
#include <sstream>
#include <stdexcept>
#include <tuple>
#include <utility>
#include <vector>

#include "cli/chromophores_file.h"
#include "cli/classifier_file.h"
#include "cli/region_file.h"
#include "needlescope/detect/stain_direction.h"
#include "needlescope/io/file_bytes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/sha256.h"
#include "needlescope/version.h"

namespace needlescope::cli {
namespace {

// "MIN:MAX" -> (min, max); throws UsageError naming the option.
std::pair<double, double> ParseRange(const std::string& text, const std::string& option) {
  const size_t colon = text.find(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no colon");
    size_t used_lo = 0, used_hi = 0;
    const double lo = std::stod(text.substr(0, colon), &used_lo);
    const double hi = std::stod(text.substr(colon + 1), &used_hi);
    if (used_lo != colon || used_hi != text.size() - colon - 1) throw std::invalid_argument("trailing text");
    return {lo, hi};
  } catch (const std::exception&) {
    throw UsageError(option + " = " + text + ": must be MIN:MAX (numbers)");
  }
}

// "overlay,coverage" or "none" -> which pictures; throws UsageError naming a bad word.
AnalyzeOptions::PictureChoice ParsePictures(const std::string& text) {
  AnalyzeOptions::PictureChoice chosen{false, false, false};
  if (text == "none") return chosen;
  std::stringstream words(text);
  std::string word;
  while (std::getline(words, word, ',')) {
    bool* flag = word == "overlay"    ? &chosen.overlay
                 : word == "redness"  ? &chosen.redness
                 : word == "coverage" ? &chosen.coverage
                                      : nullptr;
    if (!flag) throw UsageError("--pictures = " + text + ": each must be overlay, redness or coverage (or give none)");
    *flag = true;
  }
  if (!chosen.overlay && !chosen.redness && !chosen.coverage) throw UsageError("--pictures is empty: give none to write no picture");
  return chosen;
}

// The SHA-256 of a side file named by an option, or null when the option is not given.
nlohmann::ordered_json SideFileSha256(const std::string& path) {
  if (path.empty() || path == "none") return nullptr;
  const std::vector<std::uint8_t> bytes = ReadFileBytes(path);
  return Sha256Hex(bytes.data(), bytes.size());
}

}  // namespace

void AddAnalyzeOptions(po::options_description& desc, AnalyzeArgs& a, bool with_pictures) {
  AddPhotoOptions(desc, a.photo, "");
  desc.add_options()
      ("region-min-score", po::value(&a.region_min_score)->default_value(a.region_min_score),
       "classifier score from which candidates outline the estimated treated region, [0, 1];\n"
       "'accepted': the accepted punctures")
      ("target", po::value(&a.target)->default_value(a.target),
       "what marks a needle: blood (skin), stain (blue-stained validation substrate), or auto "
       "(decided from the photo; the JSON says why)")
      ("stain-od", po::value(&a.stain_od)->default_value(""),
       "a stain other than methylene or trypan blue: its OD direction R,G,B (any scale, e.g.\n"
       "0.3,1,0.4 for a magenta dye); holes are found along it and --target auto looks for it")
      ("radius-px", po::value(&a.radius_px)->default_value(""),
       "puncture radius range MIN:MAX in px; default 1:4")
      ("radius-mm", po::value(&a.radius_mm)->default_value(""),
       "puncture radius range MIN:MAX in mm (needs --mm-per-px)")
      ("effect-radius", po::value(&a.effect_radius)->default_value(""),
       "needle effect radii for the coverage fraction, comma-separated; px, or mm with an 'mm'\n"
       "suffix on the list (0.2,0.3mm; needs --mm-per-px)")
      ("target-density", po::value(&a.target_density)->default_value(""),
       "protocol density MIN:MAX punctures per cm² (needs --mm-per-px), e.g. 250:300")
      ("quadrats", po::value(&a.quadrats)->default_value(a.quadrats), "uniformity quadrat grids k, comma-separated")
      ("erythema-threshold", po::value(&a.erythema_threshold)->default_value(0.0),
       "Δhemoglobin above which treated skin counts as red; 0 = the baseline's 95th percentile");
  if (!with_pictures) return;
  desc.add_options()
      ("write-maps", po::bool_switch(&a.write_maps),
       "also write the melanin and hemoglobin maps as 32-bit float TIFF")
      ("pictures", po::value(&a.pictures)->default_value(a.pictures),
       "full-size PNGs to write besides the report page, comma-separated (overlay, redness,\n"
       "coverage), or 'none' (at 24 MP they are about a third of the time)")
      ("write-candidates", po::bool_switch(&a.write_candidates),
       "also write every detection candidate with its features (CSV), for tuning");
}

AnalyzeOptions ToAnalyzeOptions(const AnalyzeArgs& a, int tile_size_px) {
  AnalyzeOptions options;
  options.load.max_megapixels = a.photo.max_megapixels;
  options.tiling.tile_size_px = tile_size_px;
  options.redness.erythema_threshold = a.erythema_threshold;
  options.redness.keep_maps = a.write_maps;
  if (a.target != "auto" && a.target != "blood" && a.target != "stain") {
    throw UsageError("--target = " + a.target + ": must be auto, blood or stain");
  }
  options.detect.target = a.target == "stain"   ? detect::Target::kStain
                          : a.target == "blood" ? detect::Target::kBlood
                                                : detect::Target::kAuto;
  if (!a.stain_od.empty()) {
    const std::vector<double> od = ParseNumberList(a.stain_od, "--stain-od", ',');
    if (od.size() != 3) throw UsageError("--stain-od = " + a.stain_od + ": must be three numbers R,G,B");
    options.detect.stain_od = color::Rgb{od[0], od[1], od[2]};
    if (std::string error = detect::CheckStainOd(*options.detect.stain_od); !error.empty()) {
      throw UsageError("--stain-od = " + a.stain_od + ": " + error);
    }
  }
  if (a.region_min_score == "accepted") {
    options.puncture_region.min_candidate_score.reset();
  } else if (a.region_min_score != "default") {
    const std::vector<double> v = ParseNumberList(a.region_min_score, "--region-min-score", ',');
    if (v.size() != 1) throw UsageError("--region-min-score = " + a.region_min_score + ": one number, or 'accepted'");
    options.puncture_region.min_candidate_score = v[0];
  }
  options.mm_per_px = a.photo.mm_per_px;
  options.colour.use_chart = ParseColourChart(a.photo.colour_chart);
  options.encode_pictures = true;  // drawn while the last stages run (WriteAnalysisOutputs writes them)
  options.pictures = ParsePictures(a.pictures);
  if (!a.radius_px.empty() && !a.radius_mm.empty()) throw UsageError("give --radius-px or --radius-mm, not both");
  if (!a.radius_px.empty()) {
    std::tie(options.detect.min_radius_px, options.detect.max_radius_px) = ParseRange(a.radius_px, "--radius-px");
  }
  if (!a.radius_mm.empty()) {
    if (!(a.photo.mm_per_px > 0)) throw UsageError("--radius-mm needs the photo scale, --mm-per-px");
    const auto [lo, hi] = ParseRange(a.radius_mm, "--radius-mm");
    options.detect.min_radius_px = lo / a.photo.mm_per_px;
    options.detect.max_radius_px = hi / a.photo.mm_per_px;
  }
  options.uniformity.mm_per_px = a.photo.mm_per_px;
  SetPatternOptions(a.quadrats, a.effect_radius, a.target_density, &options.uniformity);
  const std::string classifier = a.photo.classifier == "default" ? DefaultClassifierPath() : a.photo.classifier;
  if (!classifier.empty() && classifier != "none") {
    options.detect.classifier = ReadClassifierFile(classifier, &options.classifier_sha256);
    options.classifier_file = classifier;
  }
  if (a.erythema_threshold < 0) throw UsageError("--erythema-threshold must be >= 0");
  if (!a.photo.white_patch.empty()) options.redness.white_patch = ParseRect(a.photo.white_patch, "--white-patch");
  if (!a.photo.roi.empty()) options.redness.roi = ReadRegionFile(a.photo.roi);
  if (!a.photo.chromophores.empty()) options.redness.vectors = ReadChromophoresFile(a.photo.chromophores);
  if (!a.photo.reference.empty()) options.redness.reference = ReadRegionFile(a.photo.reference);
  if (std::string error = options.Check(); !error.empty()) throw UsageError(error);
  return options;
}

nlohmann::ordered_json AnalyzeSettingsRecord(const AnalyzeArgs& a, const AnalyzeOptions& options) {
  return {{"needlescope", kVersion},
          {"max_megapixels", a.photo.max_megapixels},
          {"roi", a.photo.roi},
          {"roi_sha256", SideFileSha256(a.photo.roi)},
          {"reference_region", a.photo.reference},
          {"reference_region_sha256", SideFileSha256(a.photo.reference)},
          {"white_patch", a.photo.white_patch},
          {"chromophores", a.photo.chromophores},
          {"chromophores_sha256", SideFileSha256(a.photo.chromophores)},
          {"erythema_threshold", a.erythema_threshold},
          {"target", a.target},
          {"colour_chart", a.photo.colour_chart},
          {"stain_od", a.stain_od},
          {"region_min_score", a.region_min_score},
          {"classifier_sha256", options.classifier_sha256.empty() ? nlohmann::ordered_json(nullptr)
                                                                  : nlohmann::ordered_json(options.classifier_sha256)},
          {"radius_px", a.radius_px},
          {"radius_mm", a.radius_mm},
          {"effect_radius", a.effect_radius},
          {"target_density", a.target_density},
          {"quadrats", a.quadrats},
          {"mm_per_px", a.photo.mm_per_px}};
}

}  // namespace needlescope::cli
