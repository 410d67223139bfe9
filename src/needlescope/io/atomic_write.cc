#include "needlescope/io/atomic_write.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "needlescope/io/input_error.h"

namespace needlescope {
namespace {

std::string TemporaryPathFor(const std::string& path) {
  return path + ".tmp-" + std::to_string(::getpid());
}

void CommitTemporaryFile(const std::string& temporary_path, const std::string& path) {
  std::error_code ec;
  std::filesystem::rename(temporary_path, path, ec);
  if (ec) {
    std::filesystem::remove(temporary_path, ec);
    throw InputError(path, "cannot write output: " + ec.message());
  }
}

}  // namespace

void WriteFileAtomically(const std::string& path, std::string_view contents) {
  const std::string temporary = TemporaryPathFor(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (!file) throw InputError(path, std::string("cannot write output: ") + std::strerror(errno));
  const bool written = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  const bool flushed = std::fflush(file) == 0 && ::fsync(fileno(file)) == 0;
  const bool closed = std::fclose(file) == 0;
  if (!written || !flushed || !closed) {
    const int error = errno;
    std::remove(temporary.c_str());
    throw InputError(path, std::string("cannot write output: ") + std::strerror(error));
  }
  CommitTemporaryFile(temporary, path);
}

}  // namespace needlescope
