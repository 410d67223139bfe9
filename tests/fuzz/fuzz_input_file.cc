#include "fuzz/fuzz_input_file.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace needlescope::fuzz {
namespace {

namespace fs = std::filesystem;

struct ProcessDir {
  fs::path path;
  ProcessDir() {
    const char* tmp = std::getenv("TMPDIR");
    path = fs::path(tmp && *tmp ? tmp : "/tmp") / ("needlescope-fuzz-" + std::to_string(getpid()));
    std::error_code ec;
    fs::create_directories(path, ec);
    if (ec) {
      std::fprintf(stderr, "fuzz: cannot create %s: %s\n", path.c_str(), ec.message().c_str());
      std::abort();
    }
  }
  ~ProcessDir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

}  // namespace

std::string WriteInputFile(const std::uint8_t* data, std::size_t size, const std::string& suffix) {
  static const ProcessDir dir;
  const std::string path = (dir.path / ("input" + suffix)).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  out.close();
  if (!out) {
    std::fprintf(stderr, "fuzz: cannot write %s\n", path.c_str());
    std::abort();
  }
  return path;
}

}  // namespace needlescope::fuzz
