#include "needlescope/tiling/tile_grid.h"

#include <algorithm>
#include <cassert>

namespace needlescope {

std::string TilingOptions::Check() const {
  if (tile_size_px != 0 && tile_size_px < 16) {
    return "tiling.tile_size_px = " + std::to_string(tile_size_px) +
           ": must be 0 (whole image) or >= 16";
  }
  return {};
}

TileGrid MakeTileGrid(cv::Size image_size, const TilingOptions& options, int halo_px) {
  assert(options.Check().empty() && halo_px >= 0);
  TileGrid grid;
  grid.image_size = image_size;
  grid.halo_px = halo_px;
  grid.tile_size_px = options.tile_size_px > 0
                          ? options.tile_size_px
                          : std::max({image_size.width, image_size.height, 1});
  const int step = grid.tile_size_px;
  grid.cols = std::max(1, (image_size.width + step - 1) / step);
  grid.rows = std::max(1, (image_size.height + step - 1) / step);
  const cv::Rect image_rect(0, 0, image_size.width, image_size.height);
  grid.tiles.reserve(static_cast<size_t>(grid.cols) * grid.rows);
  for (int r = 0; r < grid.rows; ++r) {
    for (int c = 0; c < grid.cols; ++c) {
      Tile tile;
      tile.index = r * grid.cols + c;
      tile.core = cv::Rect(c * step, r * step, step, step) & image_rect;
      tile.padded = cv::Rect(tile.core.x - halo_px, tile.core.y - halo_px,
                             tile.core.width + 2 * halo_px, tile.core.height + 2 * halo_px) &
                    image_rect;
      grid.tiles.push_back(tile);
    }
  }
  return grid;
}

}  // namespace needlescope
