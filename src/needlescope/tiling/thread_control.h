#pragma once

#include <memory>

#include <tbb/global_control.h>

namespace needlescope {

// Number of hardware threads TBB would use by default.
int HardwareThreads();

// Limits TBB's parallelism for this object's lifetime (tbb::global_control). threads = 0
// means all hardware threads; 1 runs every parallel loop on the calling thread.
class ThreadLimit {
 public:
  explicit ThreadLimit(int threads);
  ~ThreadLimit();
  ThreadLimit(const ThreadLimit&) = delete;
  ThreadLimit& operator=(const ThreadLimit&) = delete;

  int threads() const { return threads_; }  // the limit in force

 private:
  int threads_;
  std::unique_ptr<tbb::global_control> control_;
};

}  // namespace needlescope
