// needlescope synth: synthetic scenes with ground truth (docs/synthetic-scenes.md).

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/io/atomic_write.h"
#include "needlescope/io/input_error.h"
#include "needlescope/synth/delivery.h"
#include "needlescope/synth/scene.h"
#include "needlescope/synth/truth_json.h"
#include "needlescope/tiling/thread_control.h"

namespace needlescope::cli {
namespace {

constexpr const char* kUsage =
    "usage: needlescope synth -o DIR [--scene KIND] [--seed N] [--count C] [options]\n"
    "Renders synthetic scenes with known truth: DIR/<name>.jpg (or .png), DIR/<name>.truth.json\n"
    "and DIR/manifest.csv (rows of this run merged with the rows already there).\n"
    "KIND: skin-treated, skin-untreated, substrate, pair, or all. Scene i of C uses seed N+i.\n"
    "The same arguments give the same bytes on every run and thread count.";

constexpr const char* kManifestHeader =
    "name,kind,seed,image,truth,width,height,surface,fitzpatrick,jpeg_quality,pattern,"
    "punctures,visible,faint";

std::string ManifestRow(const synth::SceneTruth& t, const std::string& image, const std::string& truth) {
  int visible = 0, faint = 0;
  for (const auto& p : t.punctures) {
    visible += p.visible;
    faint += p.faint;
  }
  std::ostringstream row;
  row << t.name << "," << synth::SceneKindName(t.kind) << "," << t.seed << "," << image << ","
      << truth << "," << t.width << "," << t.height << "," << t.surface << ","
      << (t.skin_type ? std::to_string(t.skin_type) : "") << "," << t.camera.jpeg_quality << ","
      << t.pattern.kind << "," << t.punctures.size() << "," << visible << "," << faint;
  return row.str();
}

// Rows by scene name: those already in the manifest, replaced by this run's.
void MergeManifest(const std::string& path, const std::map<std::string, std::string>& rows) {
  std::map<std::string, std::string> merged;
  std::ifstream in(path);
  std::string line;
  if (std::getline(in, line) && line == kManifestHeader) {
    while (std::getline(in, line)) {
      if (!line.empty()) merged[line.substr(0, line.find(','))] = line;
    }
  }
  for (const auto& [name, row] : rows) merged[name] = row;
  std::string text = std::string(kManifestHeader) + "\n";
  for (const auto& entry : merged) text += entry.second + "\n";
  WriteFileAtomically(path, text);
}

}  // namespace

int RunSynth(const std::vector<std::string>& args) {
  CommonOptions common;
  std::string scene = "all", pattern = "auto", format = "jpg", family = "a", stain_od;
  std::uint64_t seed = 1;
  int count = 1;
  synth::SceneOptions options;
  po::options_description desc("synth options");
  desc.add_options()
      ("scene", po::value(&scene)->default_value(scene), "skin-treated | skin-untreated | substrate | pair | all")
      ("seed", po::value(&seed)->default_value(seed), "first seed")
      ("count", po::value(&count)->default_value(count), "scenes per kind (seeds N, N+1, ...)")
      ("width", po::value(&options.width_px)->default_value(options.width_px), "image width, px [256, 8192]")
      ("height", po::value(&options.height_px)->default_value(options.height_px), "image height, px [256, 8192]")
      ("skin-type", po::value(&options.skin_type)->default_value(0), "Fitzpatrick 1..6; 0 = from the seed")
      ("quality", po::value(&options.jpeg_quality)->default_value(0), "JPEG quality 1..100; 0 = from the seed (70..95)")
      ("pattern", po::value(&pattern)->default_value(pattern), "treated skin: stamps | scatter | auto")
      ("healing", po::value(&options.healing_fraction)->default_value(-1.0), "pairs: healing fraction [0, 1]; < 0 = from the seed")
      ("format", po::value(&format)->default_value(format), "jpg (JPEG, 4:2:0 chroma) or png (lossless)")
      ("family", po::value(&family)->default_value(family),
       "renderer family: a, b or c (independent skin, blood, optics, sensor, JPEG and light; docs/synthetic-scenes.md)")
      ("stain-od", po::value(&stain_od)->default_value(""),
       "substrates: stain them with this OD direction R,G,B (each in [0, 2]) instead of the family's blue")
      ("out,o", po::value(&common.out_dir)->required(), "output directory (created if missing)");
  AddVerbosityOptions(desc, common);
  if (!ParseCommandLine(args, desc, {}, kUsage)) return kExitOk;
  CheckCommonOptions(common);

  std::vector<synth::SceneKind> kinds;
  if (scene == "all") {
    kinds = {synth::SceneKind::kSkinTreated, synth::SceneKind::kSkinUntreated,
             synth::SceneKind::kSubstrate, synth::SceneKind::kPair};
  } else if (auto kind = synth::ParseSceneKind(scene)) {
    kinds = {*kind};
  } else {
    throw UsageError("--scene = " + scene + ": unknown scene kind");
  }
  const auto pattern_kind = synth::ParsePatternKind(pattern);
  if (!pattern_kind) throw UsageError("--pattern = " + pattern + ": must be stamps, scatter or auto");
  options.pattern = *pattern_kind;
  if (format != "jpg" && format != "png") throw UsageError("--format = " + format + ": must be jpg or png");
  options.format = format == "jpg" ? synth::FileFormat::kJpeg : synth::FileFormat::kPng;
  const auto family_kind = synth::ParseFamily(family);
  if (!family_kind) throw UsageError("--family = " + family + ": must be a, b or c");
  options.family = *family_kind;
  if (!stain_od.empty()) {
    const std::vector<double> od = ParseNumberList(stain_od, "--stain-od", ',');
    if (od.size() != 3) throw UsageError("--stain-od = " + stain_od + ": must be three numbers R,G,B");
    options.stain_od = synth::OdVector{od[0], od[1], od[2]};
    if (scene != "all" && scene != "substrate") {
      throw UsageError("--stain-od stains substrates only: give --scene substrate (or all)");
    }
  }
  if (count < 1) throw UsageError("--count = " + std::to_string(count) + ": must be >= 1");
  if (std::string error = options.Check(); !error.empty()) throw UsageError(error);

  CreateOutputDirectory(common.out_dir);

  std::map<std::string, std::string> rows;
  const int total = count * int(kinds.size());
  int done = 0;
  for (synth::SceneKind kind : kinds) {
    for (int i = 0; i < count; ++i) {
      for (const synth::SceneImage& image : synth::RenderScene(kind, seed + i, options)) {
        const std::string stem = image.truth.name;
        const std::string image_file = stem + "." + format;
        const std::string truth_file = stem + ".truth.json";
        const std::vector<std::uint8_t> encoded =
            synth::EncodeDelivered(image.bgr, options.format, image.truth.camera);
        const std::filesystem::path dir(common.out_dir);
        WriteFileAtomically((dir / image_file).string(), std::string(encoded.begin(), encoded.end()));
        WriteFileAtomically((dir / truth_file).string(),
                            synth::TruthToJson(image.truth, image_file).dump() + "\n");
        rows[stem] = ManifestRow(image.truth, image_file, truth_file);
      }
      ++done;
      if (!common.quiet) {
        std::cerr << "[" << done << "/" << total << "] " << synth::SceneKindName(kind) << " seed "
                  << seed + i << "\n";
      }
    }
  }
  MergeManifest((std::filesystem::path(common.out_dir) / "manifest.csv").string(), rows);
  if (!common.quiet) std::cerr << "wrote " << rows.size() << " image(s) to " << common.out_dir << "\n";
  return kExitOk;
}

}  // namespace needlescope::cli
