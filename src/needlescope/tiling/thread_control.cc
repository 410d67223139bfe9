#include "needlescope/tiling/thread_control.h"

#include <tbb/global_control.h>
#include <tbb/info.h>

namespace needlescope {

int HardwareThreads() { return tbb::info::default_concurrency(); }

ThreadLimit::ThreadLimit(int threads)
    : threads_(threads > 0 ? threads : HardwareThreads()),
      control_(std::make_unique<tbb::global_control>(
          tbb::global_control::max_allowed_parallelism, static_cast<size_t>(threads_))) {}

ThreadLimit::~ThreadLimit() = default;

}  // namespace needlescope
