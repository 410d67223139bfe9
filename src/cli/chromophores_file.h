#pragma once

#include <string>

#include "needlescope/color/calibration.h"

namespace needlescope::cli {

// Camera calibration files, schema needlescope.chromophores/1 (docs/redness.md).
std::string CalibrationToJson(const color::Calibration& calibration, int images);

// Reads the vectors of a calibration file; throws InputError naming the file.
color::ChromophoreVectors ReadChromophoresFile(const std::string& path);

}  // namespace needlescope::cli
