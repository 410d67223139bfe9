#include "cli/common_options.h"

#include <iostream>

#include "needlescope/io/atomic_write.h"

namespace needlescope::cli {

void AddParallelOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()
      ("threads", po::value(&common.threads)->default_value(0),
       "worker threads (TBB); 0 = all cores. Results do not depend on it.")
      ("tile-size", po::value(&common.tile_size_px)->default_value(512),
       "tile side in px for the parallel engine; 0 = whole image. Results do not depend on it.");
}

void AddOutputOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()
      ("out,o", po::value(&common.out_dir)->required(), "output directory (created if missing)")
      ("json", po::value(&common.json_path)->default_value(""),
       "also write a JSON summary of the run to this path; '-' = stdout");
}

void AddVerbosityOptions(po::options_description& desc, CommonOptions& common) {
  desc.add_options()
      ("quiet,q", po::bool_switch(&common.quiet), "print only errors")
      ("verbose,v", po::bool_switch(&common.verbose), "print per-stage timings and warnings");
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

void CheckCommonOptions(const CommonOptions& common) {
  if (common.threads < 0) {
    throw UsageError("--threads = " + std::to_string(common.threads) + ": must be >= 0");
  }
  if (common.quiet && common.verbose) throw UsageError("--quiet and --verbose exclude each other");
}

void PrintInputError(const std::string& path, const std::string& reason) {
  std::cerr << "needlescope: error: " << path << ": " << reason << "\n";
}

void WriteJsonOutput(const std::string& path, const std::string& text) {
  if (path == "-") {
    std::cout << text << std::flush;
  } else {
    WriteFileAtomically(path, text);
  }
}

}  // namespace needlescope::cli
