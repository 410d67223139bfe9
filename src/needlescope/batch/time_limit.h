#pragma once

// A time cap on one piece of work (batch's --max-seconds-per-image): `work` runs under its
// own oneTBB task_group_context, and a watchdog thread cancels that context at the deadline.
// Cancelling makes TBB skip the rest of the parallel loops under it and the work's
// ThrowIfCancelled() checks (tiling/cancellation.h) throw; RunWithTimeLimit then throws
// TimeLimitExceeded, whatever the work did after the deadline, so no result computed from
// a cut-short loop is returned. What cannot be interrupted (one OpenCV call, a decoder) ends
// first: the cap is when the work is abandoned, not a hard bound on wall time.

#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include <tbb/parallel_for.h>
#include <tbb/task_group.h>

namespace needlescope::batch {

struct TimeLimitExceeded : std::runtime_error {
  explicit TimeLimitExceeded(double seconds) : std::runtime_error(Message(seconds)) {}
  static std::string Message(double seconds) {
    std::ostringstream m;
    m << "not analysed within " << seconds << " s (--max-seconds-per-image); stopped";
    return m.str();
  }
};

// Runs work(); throws TimeLimitExceeded when it ran past `seconds` (> 0; 0 = no cap), else
// returns or rethrows what work() did.
template <class Work>
void RunWithTimeLimit(double seconds, Work&& work) {
  if (!(seconds > 0)) {
    work();
    return;
  }
  tbb::task_group_context context(tbb::task_group_context::bound);
  std::mutex mutex;
  std::condition_variable finished_changed;
  bool finished = false, timed_out = false;
  std::thread watchdog([&] {
    std::unique_lock<std::mutex> lock(mutex);
    const auto limit = std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(seconds));
    if (!finished_changed.wait_for(lock, limit, [&] { return finished; })) {
      timed_out = true;
      context.cancel_group_execution();
    }
  });
  std::exception_ptr error;
  try {
    // One iteration: the way to run a function under an explicit context (nested loops
    // bind to it, so cancelling it reaches them).
    tbb::parallel_for(0, 1, [&](int) { work(); }, context);
  } catch (...) {
    error = std::current_exception();
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    finished = true;
  }
  finished_changed.notify_one();
  watchdog.join();
  if (timed_out) throw TimeLimitExceeded(seconds);
  if (error) std::rethrow_exception(error);
}

}  // namespace needlescope::batch
