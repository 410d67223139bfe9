#pragma once

#include <string>
#include <string_view>

namespace needlescope {

// Writes `contents` to `path` through a temporary file in the same directory, flushed and
// then renamed over `path`, so a reader never sees half a file and a crash leaves at worst a
// stray "<name>.tmp-<pid>" (never a truncated `path`). Throws InputError on failure.
void WriteFileAtomically(const std::string& path, std::string_view contents);

// Removes the temporaries a killed writer left in `dir`: "<name>.<ext>.tmp-<pid>" where <ext>
// is a kind of file needlescope writes (json, jsonl, csv, html, png, tiff, pdf, bin, yml) and
// no process <pid> runs (a live writer's are kept). Returns how many it removed. Never throws.
int RemoveStaleTemporaries(const std::string& dir);

}  // namespace needlescope
