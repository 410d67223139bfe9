// Arbitrary bytes as a treated-region mask image (`--roi mask.png`, `--reference`).

#include <cstdint>

#include "cli/region_file.h"
#include "fuzz/fuzz_input_file.h"
#include "needlescope/io/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = needlescope::fuzz::WriteInputFile(data, size, ".png");
  try {
    const auto region = needlescope::cli::ReadRegionFile(path);
    (void)region;
  } catch (const needlescope::InputError&) {
  }
  return 0;
}
