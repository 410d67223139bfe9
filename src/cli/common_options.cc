#include "cli/common_options.h"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <new>
#include <sstream>

#include <opencv2/core.hpp>

#include "needlescope/io/atomic_write.h"
#include "needlescope/io/input_error.h"

namespace needlescope::cli {

void AddParallelOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()("threads", po::value(&common.threads)->default_value(0),
                     "worker threads (TBB); 0 = all cores. Results do not depend on it.")(
      "tile-size", po::value(&common.tile_size_px)->default_value(512),
      "tile side in px for the parallel engine; 0 = whole image. Results do not depend on it.");
}

void AddOutputOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()("out,o", po::value(&common.out_dir)->required(),
                     "output directory (created if missing)")(
      "json", po::value(&common.json_path)->default_value(""),
      "also write a JSON summary of the run to this path; '-' = stdout");
}

void AddVerbosityOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()("quiet,q", po::bool_switch(&common.quiet), "print only errors")(
      "verbose,v", po::bool_switch(&common.verbose), "print per-stage timings and warnings");
}

bool ParseCommandLine(const std::vector<std::string>& args,
                      const po::options_description& desc,
                      const po::positional_options_description& positional,
                      const std::string& usage) {
  po::options_description with_help = desc;
  with_help.add_options()("help,h", "show this help");
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(with_help).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << usage << "\n\n" << with_help << "\n";
      return false;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return true;
}

bool ParseImageCommandLine(const std::vector<std::string>& args, po::options_description& desc,
                           CommonOptions& common, const std::string& usage) {
  AddParallelOptions(desc, common);
  AddVerbosityOptions(desc, common);
  po::positional_options_description positional;
  positional.add("image", -1);
  if (!ParseCommandLine(args, desc, positional, usage)) return false;
  CheckCommonOptions(common);
  return true;
}

void CheckCommonOptions(const CommonOptions& common) {
  if (common.threads < 0) {
    throw UsageError("--threads = " + std::to_string(common.threads) + ": must be >= 0");
  }
  if (common.quiet && common.verbose) throw UsageError("--quiet and --verbose exclude each other");
}

void PrintInputError(const std::string& path, const std::string& reason) {
  std::cerr << "needlescope: error: " << path << ": " << reason << "\n";
}

std::string OutOfMemoryReason(const std::exception& e) {
  const auto* cv_error = dynamic_cast<const cv::Exception*>(&e);
  if (dynamic_cast<const std::bad_alloc*>(&e) || (cv_error && cv_error->code == cv::Error::StsNoMem)) {
    return "not enough memory to analyse it on this machine (try --threads 1, or a smaller photo)";
  }
  return "";
}

void WriteJsonOutput(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
  } else {
    WriteFileAtomically(path, text);
  }
}

std::vector<double> ParseNumberList(const std::string& text,
                                    const std::string& option,
                                    char separator) {
  std::vector<double> values;
  std::istringstream in(text);
  for (std::string cell; std::getline(in, cell, separator);) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(cell, &used);
    } catch (const std::exception&) {
    }
    if (used == 0 || used != cell.size())
      throw UsageError(option + " = " + text + ": not a list of numbers");
    values.push_back(v);
  }
  return values;
}

void SetPatternOptions(const std::string& quadrats,
                       const std::string& effect_radii,
                       const std::string& target_density,
                       uniformity::UniformityOptions* options) {
  options->quadrat_k.clear();
  for (double k : ParseNumberList(quadrats, "--quadrats", ',')) {
    if (k != std::floor(k))
      throw UsageError("--quadrats = " + quadrats + ": grid sizes are whole numbers");
    options->quadrat_k.push_back(int(k));
  }
  options->effect_radii_px.clear();
  if (!effect_radii.empty()) {
    const bool in_mm =
        effect_radii.size() > 2 && effect_radii.compare(effect_radii.size() - 2, 2, "mm") == 0;
    if (in_mm && !(options->mm_per_px > 0))
      throw UsageError("--effect-radius in mm needs --mm-per-px");
    const std::string list = in_mm ? effect_radii.substr(0, effect_radii.size() - 2) : effect_radii;
    for (double r : ParseNumberList(list, "--effect-radius", ',')) {
      options->effect_radii_px.push_back(in_mm ? r / options->mm_per_px : r);
    }
  }
  if (!target_density.empty()) {
    const std::vector<double> range = ParseNumberList(target_density, "--target-density", ':');
    if (range.size() != 2)
      throw UsageError("--target-density = " + target_density + ": must be MIN:MAX");
    options->target_density_per_cm2 = std::make_pair(range[0], range[1]);
  }
}

void CreateOutputDirectory(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir)) {
    throw InputError(dir, "cannot create output directory" + (ec ? ": " + ec.message() : ""));
  }
  RemoveStaleTemporaries(dir);  // what a killed run left half-written (never under an output's name)
}

}  // namespace needlescope::cli
