// The same bytes as each CSV side file: a points file (`uniformity`, `eval`), a treated-
// region polygon (`--roi`) and a batch manifest (`--manifest`), and through the CSV parser
// they share. Each may refuse with InputError naming the file; nothing else may escape.

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "cli/batch_inputs.h"
#include "cli/points_file.h"
#include "cli/region_file.h"
#include "fuzz/fuzz_input_file.h"
#include "needlescope/io/csv_reader.h"
#include "needlescope/io/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string error;
  const auto rows = needlescope::ParseCsv(text, &error);
  if (!error.empty() && !rows.empty()) std::abort();  // an error means no rows

  const std::string path = needlescope::fuzz::WriteInputFile(data, size, ".csv");
  try {
    for (const auto& p : needlescope::cli::ReadPointsCsv(path)) {
      if (!std::isfinite(p.x) || !std::isfinite(p.y)) std::abort();  // NaN/inf are refused
    }
  } catch (const needlescope::InputError&) {
  }
  try {
    const auto region = needlescope::cli::ReadRegionFile(path);
    (void)region;
  } catch (const needlescope::InputError&) {
  }
  try {
    std::vector<std::string> warnings;
    const auto inputs = needlescope::cli::ReadManifest(path, &warnings);
    (void)inputs;
  } catch (const needlescope::InputError&) {
  }
  return 0;
}
