#include "needlescope/io/line_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

#include "needlescope/io/input_error.h"

namespace needlescope {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

LineLog::LineLog(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path, "cannot open for appending: " + ErrnoText());
  off_t size = 0, complete = 0;  // bytes read, and bytes up to the last newline
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      const std::string reason = "cannot read: " + ErrnoText();
      ::close(fd_);
      throw InputError(path, reason);
    }
    if (got == 0) break;
    for (ssize_t i = 0; i < got; ++i) {
      if (buffer[i] != '\n') continue;
      ++lines_;
      complete = size + i + 1;
    }
    size += got;
  }
  if (complete < size && ::ftruncate(fd_, complete) != 0) {
    const std::string reason = "cannot cut its unfinished last line: " + ErrnoText();
    ::close(fd_);
    throw InputError(path, reason);
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) {
    const std::string reason = "cannot seek: " + ErrnoText();
    ::close(fd_);
    throw InputError(path, reason);
  }
}

LineLog::~LineLog() {
  if (fd_ >= 0) ::close(fd_);
}

void LineLog::Append(std::string_view line) {
  std::string bytes(line);
  bytes += '\n';
  const off_t start = ::lseek(fd_, 0, SEEK_END);
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t wrote = ::write(fd_, bytes.data() + done, bytes.size() - done);
    if (wrote < 0 && errno == EINTR) continue;
    if (wrote < 0) {
      const std::string reason = "cannot append a line: " + ErrnoText();
      if (start >= 0 && ::ftruncate(fd_, start) == 0) ::lseek(fd_, start, SEEK_SET);  // no half line left behind
      throw InputError(path_, reason);
    }
    done += static_cast<std::size_t>(wrote);
  }
  ++lines_;
}

void ForEachLine(const std::string& path, std::size_t skip, const std::function<void(const std::string&)>& fn) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path, "cannot open for reading");
  std::string line;
  for (std::size_t index = 0; std::getline(in, line); ++index) {
    if (in.eof()) break;  // no newline after it: an unfinished last line
    if (index >= skip) fn(line);
  }
  if (in.bad()) throw InputError(path, "cannot read");
}

}  // namespace needlescope
