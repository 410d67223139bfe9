#include "needlescope/batch/memory_budget.h"

#include <algorithm>

namespace needlescope::batch {

std::uint64_t MemoryBudget::Acquire(std::uint64_t bytes) {
  const std::uint64_t wanted = std::min(bytes, total_);
  std::unique_lock<std::mutex> lock(mutex_);
  released_.wait(lock, [&] { return held_ + wanted <= total_; });
  held_ += wanted;
  peak_ = std::max(peak_, held_);
  return wanted;
}

void MemoryBudget::Release(std::uint64_t reserved) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    held_ -= reserved;
  }
  released_.notify_all();
}

std::uint64_t MemoryBudget::peak_reserved() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return peak_;
}

std::uint64_t AnalysisBytesFor(int width, int height) {
  return 17ull * static_cast<std::uint64_t>(std::max(width, 0)) * static_cast<std::uint64_t>(std::max(height, 0));
}

}  // namespace needlescope::batch
