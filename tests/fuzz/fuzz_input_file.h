#pragma once

// The readers under test take a path, as the command line gives them one. A fuzz input is
// written to a file of this process's own (in $TMPDIR, removed at exit) and read from there.

#include <cstddef>
#include <cstdint>
#include <string>

namespace needlescope::fuzz {

// Writes data to "<per-process dir>/input<suffix>" (suffix e.g. ".csv", ".png": several
// readers choose the format by the name) and returns that path. Aborts if it cannot write:
// a harness that silently tests nothing would report hours of fuzzing that did not happen.
std::string WriteInputFile(const std::uint8_t* data, std::size_t size, const std::string& suffix);

}  // namespace needlescope::fuzz
