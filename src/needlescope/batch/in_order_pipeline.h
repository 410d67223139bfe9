#pragma once

// The batch engine: items worked on in parallel, a bounded number in flight, and their
// results handed over one at a time in item order (so the files a batch writes are the same
// whatever the thread count). A oneTBB parallel_pipeline of three filters.

#include <cstddef>
#include <memory>
#include <utility>

#include <tbb/parallel_pipeline.h>
#include <tbb/task_arena.h>

namespace needlescope::batch {

// Calls work(i) for i in [0, n) with at most max_in_flight at once, and deliver(i, result)
// in increasing i, never two at a time. Each work call runs isolated: while it waits inside
// its own parallel loops its thread takes no other item, so an item that blocks (on a
// MemoryBudget) can never sit on the stack of one that holds what it waits for.
template <class Work, class Deliver>
void RunInOrder(std::size_t n, std::size_t max_in_flight, Work&& work, Deliver&& deliver) {
  using Result = decltype(work(std::size_t{0}));
  using Item = std::pair<std::size_t, Result>;
  std::size_t next = 0;
  tbb::parallel_pipeline(
      max_in_flight,
      tbb::make_filter<void, std::size_t>(tbb::filter_mode::serial_in_order,
                                          [&](tbb::flow_control& control) -> std::size_t {
                                            if (next == n) {
                                              control.stop();
                                              return 0;
                                            }
                                            return next++;
                                          }) &
          tbb::make_filter<std::size_t, std::shared_ptr<Item>>(
              tbb::filter_mode::parallel,
              [&](std::size_t i) {
                return std::make_shared<Item>(i, tbb::this_task_arena::isolate([&] { return work(i); }));
              }) &
          tbb::make_filter<std::shared_ptr<Item>, void>(
              tbb::filter_mode::serial_in_order,
              [&](const std::shared_ptr<Item>& item) { deliver(item->first, std::move(item->second)); }));
}

}  // namespace needlescope::batch
