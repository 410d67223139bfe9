#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

#include "needlescope/uniformity/uniformity.h"

namespace needlescope::cli {

namespace po = boost::program_options;

// A bad command line: main prints it with a pointer to --help and exits 1.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Options every command that processes images shares.
struct CommonOptions {
  int threads = 0;         // 0 = all cores
  int tile_size_px = 512;  // 0 = whole image
  std::string out_dir;
  std::string json_path;   // "" = none, "-" = stdout
  bool quiet = false;
  bool verbose = false;
};

void AddParallelOptions(po::options_description& desc, CommonOptions& common);
void AddOutputOptions(po::options_description& desc, CommonOptions& common);
void AddVerbosityOptions(po::options_description& desc, CommonOptions& common);

// Parses args into `desc` (+ positional). Returns false when --help was asked (after
// printing usage + desc to stdout). Throws UsageError for anything malformed.
bool ParseCommandLine(const std::vector<std::string>& args,
                      const po::options_description& desc,
                      const po::positional_options_description& positional,
                      const std::string& usage);

// The tail every command over photos shares: adds the parallel and verbosity options to
// `desc`, takes the positional arguments as "image", parses and checks the shared options.
// Returns false when --help was asked. Throws UsageError.
bool ParseImageCommandLine(const std::vector<std::string>& args, po::options_description& desc,
                           CommonOptions& common, const std::string& usage);

// "a<sep>b<sep>..." -> numbers; throws UsageError naming the option.
std::vector<double> ParseNumberList(const std::string& text, const std::string& option, char separator);

// The uniformity options `analyze` and `uniformity` share: --quadrats "4,8", --effect-radius
// "r1,r2" in px or "r1,r2mm" (needs options->mm_per_px set first), --target-density MIN:MAX.
// Throws UsageError.
void SetPatternOptions(const std::string& quadrats, const std::string& effect_radii, const std::string& target_density,
                       uniformity::UniformityOptions* options);

// Checks the shared options' ranges; throws UsageError naming the option.
void CheckCommonOptions(const CommonOptions& common);

// Prints "needlescope: error: <path>: <reason>" on stderr.
void PrintInputError(const std::string& path, const std::string& reason);

// The reason to report when `e` says the machine ran out of memory (std::bad_alloc, or
// OpenCV's "Insufficient memory"): a fault of that input's size on this machine, so that
// input fails with this reason and the others go on. "" for any other exception.
std::string OutOfMemoryReason(const std::exception& e);

// Creates DIR (and its parents); throws InputError naming it when that fails.
void CreateOutputDirectory(const std::string& dir);

// Writes a JSON document to `path` atomically, or to stdout when path is "-".
void WriteJsonOutput(const std::string& path, const std::string& text);

}  // namespace needlescope::cli
