#pragma once

#include <string>

#include "needlescope/validate/cartridge.h"

namespace needlescope::cli {

// A cartridge layout by name (models/cartridges/NAME.json) or as a file (a path ending in
// .json). Throws InputError naming the file, or listing the names there are.
validate::CartridgeLayout ReadCartridge(const std::string& name_or_file, std::string* sha256 = nullptr);

}  // namespace needlescope::cli
