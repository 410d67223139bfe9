#pragma once

// Memory for the planes of one tile's detection (the plane, its LoG stack and scratch),
// kept from tile to tile. Allocating them afresh for every tile cost about a sixth of the
// detection stage in page faults (perf: the kernel zeroing new pages, mapping and
// unmapping them): each plane is larger than malloc keeps in its heap.

#include <cstddef>
#include <memory>
#include <mutex>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::detect {

class TileWorkspace {
 public:
  // What each slot holds in a tile's detection (the stack's planes from kStack on).
  enum Slot : std::size_t { kPlane, kBlurred, kStack };

  // A continuous plane of `size` and `type` over the memory of `slot`, which grows when it
  // is too small. Its contents are undefined; it is valid until the next call for the slot.
  cv::Mat Plane(std::size_t slot, cv::Size size, int type);

 private:
  std::vector<cv::Mat> memory_;  // per slot: bytes
};

// Lends workspaces to tiles, one to each tile that runs, for as long as it runs. A pool
// owned by the detection call rather than one workspace per thread: its memory (about
// 13 MB a thread at 512 px tiles) is freed when detection ends instead of staying through
// the later stages' peak, and a lease stays safe even if a thread starts a second tile
// while waiting inside OpenCV's own parallel loops (DetectPunctures isolates its tiles so
// that it does not, which bounds the pool at one workspace per thread).
class TileWorkspacePool {
 public:
  class Lease {
   public:
    Lease(TileWorkspacePool* pool, std::unique_ptr<TileWorkspace> workspace)
        : pool_(pool), workspace_(std::move(workspace)) {}
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() { pool_->Return(std::move(workspace_)); }
    TileWorkspace& operator*() { return *workspace_; }

   private:
    TileWorkspacePool* pool_;
    std::unique_ptr<TileWorkspace> workspace_;
  };

  Lease Borrow();

 private:
  void Return(std::unique_ptr<TileWorkspace> workspace);

  std::mutex mutex_;
  std::vector<std::unique_ptr<TileWorkspace>> idle_;
};

}  // namespace needlescope::detect
