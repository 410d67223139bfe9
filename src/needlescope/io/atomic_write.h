#pragma once

#include <string>
#include <string_view>

namespace needlescope {

// Writes `contents` to `path` through a temporary file in the same directory, flushed and
// then renamed over `path`, so a reader never sees half a file and a crash leaves at worst a
// stray "<name>.tmp-<pid>" (never a truncated `path`). Throws InputError on failure.
void WriteFileAtomically(const std::string& path, std::string_view contents);

}  // namespace needlescope
