#include "testing/run_binary.h"

#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "testing/temp_dir.h"

namespace needlescope::testing {

std::string ReadTextFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string NeedlescopeBinary() { return NEEDLESCOPE_BINARY; }

ProcessResult RunNeedlescope(const std::string& args) { return RunProgram(NEEDLESCOPE_BINARY, args); }

ProcessResult RunProgram(const std::string& program, const std::string& args) {
  TempDir capture;
  const std::string command = "'" + program + "' " + args + " >'" +
                              capture.File("out") + "' 2>'" + capture.File("err") + "' </dev/null";
  const int status = std::system(command.c_str());
  ProcessResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.out = ReadTextFile(capture.File("out"));
  result.err = ReadTextFile(capture.File("err"));
  return result;
}

}  // namespace needlescope::testing
