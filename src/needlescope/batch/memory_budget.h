#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace needlescope::batch {

// A bound on the bytes that images in flight may hold together. Acquire blocks until the
// asked amount fits; an amount larger than the whole budget waits until nothing else is
// held and then runs alone (one photo too large for the budget is still analysed).
class MemoryBudget {
 public:
  explicit MemoryBudget(std::uint64_t total_bytes) : total_(total_bytes) {}

  // Returns the amount actually reserved (min(bytes, total)); give it back to Release.
  std::uint64_t Acquire(std::uint64_t bytes);
  void Release(std::uint64_t reserved);

  std::uint64_t peak_reserved() const;  // the most held at once so far

 private:
  const std::uint64_t total_;
  std::uint64_t held_ = 0, peak_ = 0;
  mutable std::mutex mutex_;
  std::condition_variable released_;
};

// Holds a reservation for its lifetime.
class BudgetReservation {
 public:
  BudgetReservation(MemoryBudget& budget, std::uint64_t bytes) : budget_(budget), held_(budget.Acquire(bytes)) {}
  ~BudgetReservation() { budget_.Release(held_); }
  BudgetReservation(const BudgetReservation&) = delete;
  BudgetReservation& operator=(const BudgetReservation&) = delete;

 private:
  MemoryBudget& budget_;
  const std::uint64_t held_;
};

// What analysing one photo of width x height px holds at its peak: 17 bytes per pixel, from
// the measured 402 MB peak RSS of `analyze` on a 24 MP photo (docs/benchmarks.md) less the
// ~12 MB the process holds before any photo.
std::uint64_t AnalysisBytesFor(int width, int height);

}  // namespace needlescope::batch
