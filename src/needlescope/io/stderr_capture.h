#pragma once

#include <string>

namespace needlescope {

// Captures what is written to file descriptor 2 while it lives. libjpeg and libpng report
// decoding problems by printing to stderr (OpenCV does not route them), which would break
// the one-line-per-error contract and hide the reason; capturing them lets the loader turn
// them into its own message. The redirection is process-wide, so captures are serialised by
// a mutex and anything other threads print meanwhile is captured too: use it only around
// short calls such as a decode.
class StderrCapture {
 public:
  StderrCapture();
  ~StderrCapture();  // restores stderr if Finish() was not called
  StderrCapture(const StderrCapture&) = delete;
  StderrCapture& operator=(const StderrCapture&) = delete;

  // Restores stderr and returns what was written meanwhile; "" on later calls.
  std::string Finish();

 private:
  bool holds_lock_ = false;
  int saved_fd_ = -1;
  int capture_fd_ = -1;
};

}  // namespace needlescope
