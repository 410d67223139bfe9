#pragma once

#include <string>

namespace needlescope::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs the built needlescope executable with a shell-quoted argument string, capturing
// stdout and stderr. `args` is passed to /bin/sh as is.
ProcessResult RunNeedlescope(const std::string& args);
// The built executable's path (for a test that runs it under another program).
std::string NeedlescopeBinary();
// The same for any program (given by path).
ProcessResult RunProgram(const std::string& program, const std::string& args);

std::string ReadTextFile(const std::string& path);

}  // namespace needlescope::testing
