#include "needlescope/io/stderr_capture.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

namespace needlescope {
namespace {

std::mutex& CaptureMutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

StderrCapture::StderrCapture() {
  CaptureMutex().lock();
  holds_lock_ = true;
  std::fflush(stderr);
  std::FILE* file = std::tmpfile();
  if (!file) return;  // cannot capture: leave stderr alone
  capture_fd_ = ::dup(fileno(file));
  std::fclose(file);  // the dup keeps the (already unlinked) file open
  saved_fd_ = ::dup(STDERR_FILENO);
  if (capture_fd_ < 0 || saved_fd_ < 0 || ::dup2(capture_fd_, STDERR_FILENO) < 0) {
    if (saved_fd_ >= 0) ::close(saved_fd_);
    if (capture_fd_ >= 0) ::close(capture_fd_);
    saved_fd_ = capture_fd_ = -1;
  }
}

StderrCapture::~StderrCapture() { Finish(); }

std::string StderrCapture::Finish() {
  std::string text;
  if (!holds_lock_) return text;
  if (saved_fd_ >= 0) {
    std::fflush(stderr);
    ::dup2(saved_fd_, STDERR_FILENO);
    ::close(saved_fd_);
    char buffer[4096];
    ::lseek(capture_fd_, 0, SEEK_SET);
    ssize_t n;
    while ((n = ::read(capture_fd_, buffer, sizeof buffer)) > 0 && text.size() < 65536) {
      text.append(buffer, static_cast<size_t>(n));
    }
    ::close(capture_fd_);
  }
  saved_fd_ = capture_fd_ = -1;
  holds_lock_ = false;
  CaptureMutex().unlock();
  return text;
}

}  // namespace needlescope
