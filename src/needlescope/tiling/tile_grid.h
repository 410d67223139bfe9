#pragma once

#include <string>
#include <vector>

#include <opencv2/core.hpp>

namespace needlescope {

struct TilingOptions {
  int tile_size_px = 512;  // px, side of a tile's core; 0 = the whole image as one tile, else >= 16

  // Empty when valid, else "tiling.<field> = <value>: <rule>".
  std::string Check() const;
};

// One tile: the core it owns and the padded region it reads (core grown by the halo on every
// side, clipped to the image). Rectangles are in image pixels.
struct Tile {
  int index = 0;  // row-major position in the grid: the merge order
  cv::Rect core;
  cv::Rect padded;
};

struct TileGrid {
  cv::Size image_size;
  int tile_size_px = 0;  // as used (the image's longer side when 0 was asked)
  int halo_px = 0;
  int cols = 0;
  int rows = 0;
  std::vector<Tile> tiles;  // rows * cols, row-major
};

// Splits an image into a grid of cores of tile_size_px (the last row/column smaller) whose
// padded regions reach halo_px beyond the core. A stage whose output at a pixel depends only
// on input within `halo_px` of it gets, on the core, exactly what it would get on the whole
// image, for any tile size: that is what makes tiled results tile-size invariant.
// Requires options.Check() to pass and halo_px >= 0.
TileGrid MakeTileGrid(cv::Size image_size, const TilingOptions& options, int halo_px);

}  // namespace needlescope
