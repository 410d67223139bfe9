// needlescope validate IMAGE... -o DIR: stamps of a pen cartridge on a stained substrate,
// needle by needle (docs/validation.md).

#include <filesystem>
#include <iostream>
#include <map>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "cli/analyze_options.h"
#include "cli/cartridge_file.h"
#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/stain_direction.h"
#include "needlescope/validate/infer_layout.h"
#include "needlescope/validate/stain_at.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/image_loader.h"
#include "needlescope/io/input_error.h"
#include "needlescope/io/json_text.h"
#include "needlescope/tiling/thread_control.h"
#include "needlescope/report/validation_overlay.h"
#include "needlescope/validate/validation_report.h"
#include "needlescope/version.h"

namespace needlescope::cli {
namespace {

using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

constexpr const char* kUsage =
    "usage: needlescope validate IMAGE... -o DIR --cartridge NAME|FILE.json [options]\n"
    "Finds the stamps of a pen cartridge on a stained substrate photo and says, for each needle\n"
    "of the cartridge, how often its hole is there (rate with a 95 % Wilson interval; failing\n"
    "when the interval's top is below --fail-below). Writes DIR/<stem>.validation.json,\n"
    "DIR/<stem>.needles.csv and DIR/<stem>.validation.png (needle indices drawn). Layouts:\n"
    "models/cartridges/ (names) or your own file; method and format: docs/validation.md.";

}  // namespace

int RunValidate(const std::vector<std::string>& args) {
  AnalyzeArgs a;
  a.target = "stain";
  CommonOptions common;
  std::vector<std::string> images;
  std::string cartridge_name;
  validate::ValidateOptions v;
  double mm_per_px = 0;
  double place_min_fraction = 0.12;
  po::options_description desc("validate options");
  desc.add_options()("image", po::value(&images)->multitoken()->required(), "substrate photo(s)")
      ("cartridge", po::value(&cartridge_name)->required(),
       "the cartridge's layout: a name in models/cartridges/ (grid9, circle12, grid16, round24, grid36,\n"
       "round42, nano100), a layout file NAME.json, or auto: inferred from the photo's stamps and\n"
       "written to DIR/<stem>.cartridge.json (docs/validation.md)")
      ("fail-below", po::value(&v.fail_below)->default_value(v.fail_below),
       "a needle fails when the top of its rate's 95 % interval is below this")
      ("place-min-fraction", po::value(&place_min_fraction)->default_value(place_min_fraction),
       "a needle with no detected hole still hits when the stain at its fitted place, above its\n"
       "ring, is at least this fraction of the photo's detected holes' median (0 = only detected\n"
       "holes; docs/validation.md)")
      ("validate-mm-per-px", po::value(&mm_per_px)->default_value(0.0),
       "photo scale when known (mm per px): fixes the stamps' scale; else it is fitted and the\n"
       "mm per px it implies is reported against the layout's pitch");
  AddAnalyzeOptions(desc, a, /*with_pictures=*/false);
  AddOutputOptions(desc, common);
  if (!ParseImageCommandLine(args, desc, common, kUsage)) return kExitOk;
  if (mm_per_px < 0 || !std::isfinite(mm_per_px)) throw UsageError("--validate-mm-per-px must be >= 0");
  if (!(place_min_fraction >= 0 && place_min_fraction <= 1)) throw UsageError("--place-min-fraction must be in [0, 1]");
  if (a.photo.mm_per_px > 0 && mm_per_px == 0) mm_per_px = a.photo.mm_per_px;
  v.px_per_mm = mm_per_px > 0 ? 1.0 / mm_per_px : 0;
  if (std::string error = v.Check(); !error.empty()) throw UsageError(error);
  const AnalyzeOptions options = ToAnalyzeOptions(a, common.tile_size_px);
  const bool infer = cartridge_name == "auto";
  const std::vector<validate::CartridgeLayout> known = infer ? ReadKnownCartridges() : std::vector<validate::CartridgeLayout>{};
  const validate::CartridgeLayout given = infer ? validate::CartridgeLayout{} : ReadCartridge(cartridge_name);

  CreateOutputDirectory(common.out_dir);
  const ThreadLimit thread_limit(common.threads);
  std::map<std::string, std::string> stem_owner;
  Json summary = Json::array();
  int failed = 0;
  for (const std::string& path : images) {
    try {
      const std::string stem = (fs::path(common.out_dir) / fs::path(path).stem()).string();
      if (auto [owner, fresh] = stem_owner.emplace(stem, path); !fresh) {
        throw InputError(path, "its output name " + stem + ".validation.json is already used by " + owner->second);
      }
      const LoadedImage image = LoadImage(path, options.load);
      detect::DetectOptions detect_options = options.detect;
      detect_options.tiling = options.tiling;
      detect_options.vectors = options.redness.vectors;
      const detect::DetectResult detected = detect::DetectPunctures(image.bgr, detect_options);
      std::vector<cv::Point2d> holes;
      for (const Puncture& p : detected.punctures) holes.emplace_back(p.x, p.y);
      validate::InferredLayout inferred;
      if (infer) {
        inferred = validate::InferLayout(holes, v.px_per_mm, known);
        if (!inferred.found) throw InputError(path, "cannot infer the cartridge's layout: " + inferred.why_not);
      }
      const validate::CartridgeLayout* matching =
          infer && inferred.same_as_known >= 0 ? &known[static_cast<size_t>(inferred.same_as_known)] : nullptr;
      const validate::CartridgeLayout& layout = !infer ? given : matching ? *matching : inferred.layout;
      const color::Rgb weights = (options.detect.stain_od ? detect::CustomStainWeights(*options.detect.stain_od)
                                                          : detect::BlueStainWeights())
                                     .plane;
      const validate::ValidationResult result =
          validate::Validate(holes, image.bgr.size(), layout, v,
                             validate::MakePlaceTest(image.bgr, detected.punctures, weights, place_min_fraction));

      Json doc = {{"schema", validate::kValidationSchema},
                  {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
                  {"image", {{"path", path}, {"sha256", image.sha256}, {"width", image.bgr.cols}, {"height", image.bgr.rows}}},
                  {"detection", {{"target", detect::TargetName(detected.target)}, {"holes", holes.size()},
                                 {"decision", detected.decision}}}};
      const Json sections = validate::ValidationToJson(result, layout, v);
      for (const auto& section : sections.items()) doc[section.key()] = section.value();
      doc["cartridge"]["source_file"] = infer ? Json(stem + ".cartridge.json") : Json(cartridge_name);
      if (infer) {
        Json matches = Json::array();
        for (const validate::LayoutMatch& m : inferred.matches) {
          matches.push_back({{"name", m.name}, {"needles", m.needles}, {"matched", m.matched}, {"rms_pitch", m.rms_pitch}});
        }
        doc["cartridge"]["inferred"] = {{"stamps_used", inferred.stamps_used},
                                        {"lattice_gaps_filled", inferred.lattice_gaps_filled},
                                        {"units", inferred.in_mm ? "mm" : "pitches (the photo's scale is unknown)"},
                                        {"validated_with", matching ? matching->name : "the inferred layout"},
                                        {"known_layouts", matches}};
        WriteFileAtomically(stem + ".cartridge.json", CartridgeJson(inferred.layout));
      }
      std::vector<std::uint8_t> png;
      cv::imencode(".png", report::DrawValidationOverlay(image.bgr, result, layout), png);
      WriteFileAtomically(stem + ".needles.csv", validate::NeedlesCsv(result, layout));
      WriteFileAtomically(stem + ".validation.png", std::string_view(reinterpret_cast<const char*>(png.data()), png.size()));
      WriteFileAtomically(stem + ".validation.json", JsonText(doc));
      summary.push_back({{"path", path}, {"status", "ok"}, {"json", stem + ".validation.json"},
                         {"stamps_counted", doc["stamps_counted"]}, {"penetration_rate", doc["penetration_rate"]}});
      if (!common.quiet) {
        int failing = 0;
        for (const auto& n : result.needles) failing += n.failing;
        std::cerr << path << ": " << doc["stamps_counted"] << " stamps, penetration " << result.hits << "/" << result.trials
                  << ", " << failing << " failing needle(s) -> " << stem << ".validation.json\n";
      }
    } catch (const InputError& e) {
      ++failed;
      PrintInputError(e.path(), e.reason());
      summary.push_back({{"path", path}, {"status", "error"}, {"reason", e.reason()}});
    } catch (const std::exception& e) {
      const std::string reason = OutOfMemoryReason(e);
      if (reason.empty()) throw;  // a bug: main reports it (exit 3)
      ++failed;
      PrintInputError(path, reason);
      summary.push_back({{"path", path}, {"status", "error"}, {"reason", reason}});
    }
  }
  if (!common.json_path.empty()) {
    WriteJsonOutput(common.json_path, JsonText(Json{{"schema", "needlescope.run/1"}, {"command", "validate"},
                                                    {"tool", {{"name", "needlescope"}, {"version", kVersion}}},
                                                    {"ok", static_cast<int>(images.size()) - failed},
                                                    {"failed", failed}, {"images", summary}}));
  }
  return failed ? kExitBadInput : kExitOk;
}

}  // namespace needlescope::cli
