#include "needlescope/batch/in_order_pipeline.h"

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <gtest/gtest.h>
#include <tbb/global_control.h>
#include <tbb/parallel_for.h>

#include "needlescope/batch/memory_budget.h"

namespace needlescope::batch {
namespace {

TEST(RunInOrder, DeliversEveryItemOnceInOrderWithABoundInFlight) {
  const tbb::global_control threads(tbb::global_control::max_allowed_parallelism, 4);
  std::atomic<int> in_flight{0}, most{0};
  std::vector<size_t> delivered;
  RunInOrder(
      60, 3,
      [&](size_t i) {
        const int now = ++in_flight;
        for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        // Uneven work, with a parallel loop inside as an analysis has.
        std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 3000));
        std::atomic<long> sum{0};
        tbb::parallel_for(0, 1000, [&](int k) { sum += k; });
        --in_flight;
        return static_cast<long>(i) * 1000 + sum.load();
      },
      [&](size_t i, long result) {
        EXPECT_EQ(result, static_cast<long>(i) * 1000 + 499500);
        delivered.push_back(i);
      });
  ASSERT_EQ(delivered.size(), 60u);
  for (size_t i = 0; i < delivered.size(); ++i) EXPECT_EQ(delivered[i], i);
  EXPECT_LE(most.load(), 3);
}

TEST(MemoryBudget, HoldsTheBoundAndLetsAnOversizedItemRunAlone) {
  MemoryBudget budget(100);
  std::atomic<long> held{0};
  std::atomic<long> most{0};
  const std::vector<std::uint64_t> sizes = {30, 40, 250, 20, 60, 10, 90, 30};
  RunInOrder(
      sizes.size(), 8,
      [&](size_t i) {
        const BudgetReservation reservation(budget, sizes[i]);
        const long now = held += static_cast<long>(std::min<std::uint64_t>(sizes[i], 100));
        for (long seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
        held -= static_cast<long>(std::min<std::uint64_t>(sizes[i], 100));
        return i;
      },
      [](size_t, size_t) {});
  EXPECT_LE(most.load(), 100);
  EXPECT_EQ(budget.peak_reserved(), 100u);  // never above it, and the oversized one held all of it
  EXPECT_EQ(AnalysisBytesFor(6000, 4000), 17ull * 24000000);
}

}  // namespace
}  // namespace needlescope::batch
