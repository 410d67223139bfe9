#pragma once

namespace needlescope::cli {

// Exit codes of the needlescope executable (documented in README.md).
inline constexpr int kExitOk = 0;
inline constexpr int kExitUsage = 1;     // bad command line or option value
inline constexpr int kExitBadInput = 2;  // an input could not be processed
inline constexpr int kExitInternal = 3;  // a bug: an unexpected exception

}  // namespace needlescope::cli
