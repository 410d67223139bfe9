#include "needlescope/detect/tile_workspace.h"

namespace needlescope::detect {

cv::Mat TileWorkspace::Plane(std::size_t slot, cv::Size size, int type) {
  if (memory_.size() <= slot) memory_.resize(slot + 1);
  const std::size_t bytes = std::size_t(size.area()) * CV_ELEM_SIZE(type);
  if (memory_[slot].total() < bytes) memory_[slot].create(1, int(bytes), CV_8U);
  return cv::Mat(size, type, memory_[slot].data);
}

TileWorkspacePool::Lease TileWorkspacePool::Borrow() {
  std::unique_ptr<TileWorkspace> workspace;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!idle_.empty()) {
      workspace = std::move(idle_.back());
      idle_.pop_back();
    }
  }
  if (!workspace) workspace = std::make_unique<TileWorkspace>();
  return Lease(this, std::move(workspace));
}

void TileWorkspacePool::Return(std::unique_ptr<TileWorkspace> workspace) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(workspace));
}

}  // namespace needlescope::detect
