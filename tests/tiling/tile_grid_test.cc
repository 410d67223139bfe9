#include "needlescope/tiling/tile_grid.h"

#include <gtest/gtest.h>

namespace needlescope {
namespace {

TEST(TileGrid, CoresPartitionTheImageAndPaddingAddsTheClippedHalo) {
  const cv::Size size(1000, 613);
  for (int tile : {16, 64, 200, 512, 0}) {
    SCOPED_TRACE("tile " + std::to_string(tile));
    const TileGrid grid = MakeTileGrid(size, TilingOptions{tile}, /*halo_px=*/7);
    cv::Mat owners(size, CV_32S, cv::Scalar(0));
    for (const Tile& t : grid.tiles) {
      owners(t.core) += 1;
      const cv::Rect expected_padded =
          cv::Rect(t.core.x - 7, t.core.y - 7, t.core.width + 14, t.core.height + 14) &
          cv::Rect(cv::Point(0, 0), size);
      EXPECT_EQ(t.padded, expected_padded);
    }
    double lo, hi;
    cv::minMaxLoc(owners, &lo, &hi);
    EXPECT_EQ(lo, 1.0);  // every pixel owned...
    EXPECT_EQ(hi, 1.0);  // ...by exactly one core
    EXPECT_EQ(grid.tiles.size(), static_cast<size_t>(grid.rows * grid.cols));
    for (size_t i = 0; i < grid.tiles.size(); ++i) EXPECT_EQ(grid.tiles[i].index, int(i));
  }
}

TEST(TileGrid, ZeroMeansOneTileForTheWholeImage) {
  const TileGrid grid = MakeTileGrid({300, 200}, TilingOptions{0}, 5);
  ASSERT_EQ(grid.tiles.size(), 1u);
  EXPECT_EQ(grid.tiles[0].core, cv::Rect(0, 0, 300, 200));
  EXPECT_EQ(grid.tiles[0].padded, cv::Rect(0, 0, 300, 200));
}

TEST(TileGrid, ChecksTileSize) {
  EXPECT_EQ(TilingOptions{512}.Check(), "");
  EXPECT_EQ(TilingOptions{0}.Check(), "");
  EXPECT_EQ(TilingOptions{8}.Check(), "tiling.tile_size_px = 8: must be 0 (whole image) or >= 16");
}

}  // namespace
}  // namespace needlescope
