#include "needlescope/batch/time_limit.h"

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>

#include <gtest/gtest.h>
#include <tbb/parallel_for.h>

#include "needlescope/tiling/cancellation.h"
#include "needlescope/tiling/tiled_run.h"

namespace needlescope::batch {
namespace {

void Sleep(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

TEST(TimeLimit, WorkWithinItsCapRunsAsWithoutOne) {
  for (const double cap : {0.0, 30.0}) {
    std::atomic<int> sum{0};
    RunWithTimeLimit(cap, [&] { tbb::parallel_for(0, 1000, [&](int k) { sum += k; }); });
    EXPECT_EQ(sum.load(), 499500) << cap;
    // The work's own error is the one reported, with its own type.
    EXPECT_THROW(RunWithTimeLimit(cap, [] { throw std::invalid_argument("bad photo"); }), std::invalid_argument);
  }
  EXPECT_NO_THROW(ThrowIfCancelled());  // outside a time-limited run it never throws
}

// 4,000 tiles of 2 ms each (4 s on two threads) under a 50 ms cap: the engine stops taking
// tiles once cancelled and the run ends in TimeLimitExceeded, most tiles never started.
TEST(TimeLimit, TheTiledEngineStopsTakingTilesPastTheCap) {
  const TileGrid grid = MakeTileGrid({16 * 4000, 16}, TilingOptions{16}, 0);
  ASSERT_EQ(grid.tiles.size(), 4000u);
  std::atomic<int> started{0};
  bool finished = false;
  try {
    RunWithTimeLimit(0.05, [&] {
      ForEachTile(grid, [&](const Tile&) {
        ++started;
        Sleep(2);
      });
      finished = true;  // not reached: the loop's end checks too
    });
    ADD_FAILURE() << "no TimeLimitExceeded";
  } catch (const TimeLimitExceeded& e) {
    EXPECT_STREQ(e.what(), "not analysed within 0.05 s (--max-seconds-per-image); stopped");
  }
  EXPECT_FALSE(finished);
  EXPECT_LT(started.load(), 2000);  // about 50 started; half only if the watchdog woke 2 s late
}

// Work that never checks, past its cap: still TimeLimitExceeded (what it made is not used),
// and a loop it starts after the deadline runs none of its iterations.
TEST(TimeLimit, WorkThatDoesNotCheckIsStillReportedAsOverItsCap) {
  std::atomic<int> after_deadline{0};
  EXPECT_THROW(RunWithTimeLimit(0.02,
                                [&] {
                                  Sleep(200);
                                  tbb::parallel_for(0, 100, [&](int) { ++after_deadline; });
                                }),
               TimeLimitExceeded);
  EXPECT_EQ(after_deadline.load(), 0);
}

}  // namespace
}  // namespace needlescope::batch
