#pragma once

// Stopping an analysis part-way: batch's time cap per photo (batch/time_limit.h) runs the
// photo under a oneTBB task_group_context that it cancels at the deadline. TBB then skips
// what is left of each of our parallel loops under it (parallel_for, parallel_invoke, a
// task_group's tasks), so such a loop can return with its output only partly written.
// OpenCV's own loops are not cut short: OpenCV runs them in its own task arena, outside our
// context (measured: a GaussianBlur and connectedComponents called in a cancelled context
// gave the same results as outside it). So code that would go on to use our loops' output
// calls ThrowIfCancelled() first: after each parallel loop, before each tile
// (tiled_run.h) and between the stages of AnalyzeImage. The analysis then ends in
// Cancelled and the caller reports the time limit; nothing computed from a cut-short loop
// reaches a result. Outside a cancelled context (analyze, compare, tests) the check is a
// pointer read and never throws.

#include <stdexcept>

#include <tbb/task_group.h>

namespace needlescope {

struct Cancelled : std::runtime_error {
  Cancelled() : std::runtime_error("the analysis was cancelled") {}
};

inline void ThrowIfCancelled() {
  if (tbb::is_current_task_group_canceling()) throw Cancelled();
}

}  // namespace needlescope
