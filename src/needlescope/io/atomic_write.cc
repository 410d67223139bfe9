#include "needlescope/io/atomic_write.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <set>

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

int RemoveStaleTemporaries(const std::string& dir) {
  int removed = 0;
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator(dir, ec); !ec && it != std::filesystem::directory_iterator();
       it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const std::size_t mark = name.rfind(".tmp-");
    if (mark == std::string::npos || mark + 5 == name.size()) continue;
    // Only a temporary of a kind of file needlescope writes: an output folder may be a
    // user's own, and what is not ours is not ours to delete.
    const std::string kept_name = name.substr(0, mark);
    const std::size_t dot = kept_name.rfind('.');
    static const std::set<std::string> kOurs = {".json", ".jsonl", ".csv", ".html", ".png", ".tiff", ".pdf", ".bin", ".yml"};
    if (dot == std::string::npos || !kOurs.count(kept_name.substr(dot))) continue;
    const std::string pid_text = name.substr(mark + 5);
    if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
    const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
    if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to judge
    std::error_code ignored;
    removed += std::filesystem::remove(it->path(), ignored) ? 1 : 0;
  }
  return removed;
}

}  // namespace needlescope
