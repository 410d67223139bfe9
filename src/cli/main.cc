// needlescope <command> [options]: dispatches to one subcommand; see commands.h.

#include <algorithm>
#include <exception>
#include <functional>
#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string>
#include <vector>

#include <opencv2/core/utils/logger.hpp>

#include "cli/commands.h"
#include "cli/common_options.h"
#include "cli/exit_codes.h"
#include "needlescope/io/input_error.h"
#include "needlescope/version.h"

namespace {

using namespace needlescope::cli;

struct Command {
  const char* name;
  int (*run)(const std::vector<std::string>&);
  const char* summary;
};

const Command kCommands[] = {
    {"analyze", RunAnalyze, "find punctures and redness in photos; write JSON + CSV per image"},
    {"batch", RunBatch, "audit many photos: results.jsonl, summary.csv, audit.sqlite, QC flags; resumable"},
    {"merge", RunMerge, "combine batch outputs (shards) into one, nothing lost or doubled"},
    {"query", RunQuery, "a patient's timeline from a batch's audit.sqlite"},
    {"validate", RunValidate, "device validation: a cartridge's stamps on a stained substrate, needle by needle"},
    {"calibrate", RunCalibrate, "estimate a camera's melanin/hemoglobin directions from its photos"},
    {"eval", RunEval, "score analysis results against synthetic truth (precision, recall, F1)"},
    {"compare", RunCompare, "align an AFTER photo onto BEFORE and measure healing"},
    {"series", RunSeries, "follow one area over 3+ sessions: redness recovery and its half-life"},
    {"train", RunTrain, "fit the puncture classifier to annotated photos of your own camera"},
    {"uniformity", RunUniformity, "how evenly points cover a window (for annotated point sets)"},
    {"synth", RunSynth, "render synthetic scenes with ground truth (for accuracy measurements)"},
};

void PrintUsage(std::ostream& out) {
  out << "usage: needlescope <command> [options]\n"
         "       needlescope <command> --help\n"
         "       needlescope --version\n\ncommands:\n";
  for (const Command& c : kCommands) out << "  " << c.name << "\t" << c.summary << "\n";
  out << "\nexit codes: 0 success, 1 usage error, 2 an input could not be processed,\n"
         "            3 internal error\n";
}

}  // namespace

int main(int argc, char** argv) {
  // Buffers of 16 MB and more (a 24 MP photo's planes, masks, encoded pictures) are mapped
  // and unmapped on their own. glibc's default raises this threshold each time such a
  // buffer is freed, after which later ones come from the heap and stay resident when
  // freed: at 24 MP that kept ~75 MB more resident at the peak (584 -> 511 MB), at no
  // measurable cost in time (docs/performance.md).
#ifdef __GLIBC__
  mallopt(M_MMAP_THRESHOLD, 16 << 20);
#endif
  // OpenCV's own log lines would break the one-line-per-error contract on stderr.
  cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);

  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) {
    std::cerr << "needlescope: error: no command given\n";
    PrintUsage(std::cerr);
    return kExitUsage;
  }
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    PrintUsage(std::cout);
    return kExitOk;
  }
  if (args[0] == "--version") {
    std::cout << "needlescope " << needlescope::kVersion << "\n";
    return kExitOk;
  }
  for (const Command& command : kCommands) {
    if (args[0] != command.name) continue;
    try {
      return command.run({args.begin() + 1, args.end()});
    } catch (const UsageError& e) {
      std::cerr << "needlescope: error: " << e.what() << " (see 'needlescope " << command.name
                << " --help')\n";
      return kExitUsage;
    } catch (const needlescope::InputError& e) {
      PrintInputError(e.path(), e.reason());
      return kExitBadInput;
    } catch (const std::exception& e) {
      // One line, as every error: OpenCV's messages carry newlines of their own.
      std::string what = e.what();
      std::replace(what.begin(), what.end(), '\n', ' ');
      while (!what.empty() && what.back() == ' ') what.pop_back();
      std::cerr << "needlescope: internal error: " << what << "\n";
      return kExitInternal;
    }
  }
  std::cerr << "needlescope: error: unknown command '" << args[0] << "'\n";
  PrintUsage(std::cerr);
  return kExitUsage;
}
