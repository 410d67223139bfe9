#pragma once

#include <string>
#include <vector>

#include "needlescope/validate/cartridge.h"

namespace needlescope::cli {

// A cartridge layout by name (models/cartridges/NAME.json) or as a file (a path ending in
// .json). Throws InputError naming the file, or listing the names there are.
validate::CartridgeLayout ReadCartridge(const std::string& name_or_file, std::string* sha256 = nullptr);

// Every layout in models/cartridges/, by name (for comparing an inferred layout with).
std::vector<validate::CartridgeLayout> ReadKnownCartridges();

// A layout as a models/cartridges file (schema needlescope.cartridge/1).
std::string CartridgeJson(const validate::CartridgeLayout& layout);

}  // namespace needlescope::cli
