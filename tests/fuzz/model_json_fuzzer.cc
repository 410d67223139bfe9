// Arbitrary bytes as the JSON model files a user may give: a cartridge layout
// (`--cartridge FILE.json`) and a camera calibration (`--chromophores FILE.json`). A layout
// that is accepted must survive being written back out and read again: the same name and
// needles, each within the 0.1 µm the writer rounds to (reading centres the needles on their
// mean, so a rounded layout can move by a rounding step: equal text is not promised).

#include <cstdint>
#include <cstdlib>

#include <opencv2/core.hpp>

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
    const auto again = needlescope::cli::ReadCartridge(again_path);
    if (again.name != layout.name || again.needles_mm.size() != layout.needles_mm.size()) std::abort();
    for (std::size_t i = 0; i < layout.needles_mm.size(); ++i) {
      if (cv::norm(again.needles_mm[i] - layout.needles_mm[i]) > 2e-4) std::abort();
    }
  } catch (const needlescope::InputError&) {
  }
  try {
    const auto vectors = needlescope::cli::ReadChromophoresFile(path);
    (void)vectors;
  } catch (const needlescope::InputError&) {
  }
  return 0;
}
