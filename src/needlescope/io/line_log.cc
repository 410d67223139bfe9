#include "needlescope/io/line_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "needlescope/io/input_error.h"

namespace needlescope {
namespace {

std::string ErrnoText() { return std::strerror(errno); }

}  // namespace

LineLog::LineLog(const std::string& path, std::vector<std::string>* existing) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw InputError(path, "cannot open for appending: " + ErrnoText());
  std::string text;
  char buffer[1 << 16];
  for (;;) {
    const ssize_t got = ::read(fd_, buffer, sizeof buffer);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      ::close(fd_);
      throw InputError(path, "cannot read: " + ErrnoText());
    }
    if (got == 0) break;
    text.append(buffer, static_cast<std::size_t>(got));
  }
  const std::size_t complete = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (complete < text.size() && ::ftruncate(fd_, static_cast<off_t>(complete)) != 0) {
    ::close(fd_);
    throw InputError(path, "cannot cut its unfinished last line: " + ErrnoText());
  }
  if (::lseek(fd_, 0, SEEK_END) < 0) {
    ::close(fd_);
    throw InputError(path, "cannot seek: " + ErrnoText());
  }
  if (existing) {
    existing->clear();
    std::size_t start = 0;
    while (start < complete) {
      const std::size_t end = text.find('\n', start);
      existing->push_back(text.substr(start, end - start));
      start = end + 1;
    }
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
}

}  // namespace needlescope
