// Arbitrary bytes as the JSON model files a user may give: a cartridge layout
// (`--cartridge FILE.json`) and a camera calibration (`--chromophores FILE.json`). A layout
// that is accepted must survive being written back out and read again unchanged.

#include <cstdint>
#include <cstdlib>

#include "cli/cartridge_file.h"
#include "cli/chromophores_file.h"
#include "fuzz/fuzz_input_file.h"
#include "needlescope/io/input_error.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = needlescope::fuzz::WriteInputFile(data, size, ".json");
  try {
    const auto layout = needlescope::cli::ReadCartridge(path);
    const std::string json = needlescope::cli::CartridgeJson(layout);
    const std::string again_path =
        needlescope::fuzz::WriteInputFile(reinterpret_cast<const std::uint8_t*>(json.data()), json.size(), ".again.json");
    if (needlescope::cli::CartridgeJson(needlescope::cli::ReadCartridge(again_path)) != json) std::abort();
  } catch (const needlescope::InputError&) {
  }
  try {
    const auto vectors = needlescope::cli::ReadChromophoresFile(path);
    (void)vectors;
  } catch (const needlescope::InputError&) {
  }
  return 0;
}
