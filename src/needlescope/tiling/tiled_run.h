#pragma once

// The tiled parallel engine: every stage that works on pixels runs through these two
// functions, so that its output is the same for any thread count and any tile size.
//
// Determinism: tiles run in parallel (TBB), but each writes only its own slot (a vector
// indexed by tile, or its own core rectangle of an output image); nothing is merged in the
// order tiles finish. Feature lists are then filtered by ownership and sorted canonically.
//
// Memory: the engine itself holds one result vector per tile. A stage's per-tile scratch is
// (padded tile area) x (its planes) per running thread, on top of its full-size outputs.

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include "needlescope/tiling/cancellation.h"
#include "needlescope/tiling/tile_grid.h"

namespace needlescope {

// Runs fn(const Tile&) on every tile, in parallel. fn must write only to state owned by that
// tile (e.g. the tile's core rectangle of a preallocated output image). Cancelled
// (cancellation.h) before a tile starts and when a cancelled loop returns.
template <class TileFn>
void ForEachTile(const TileGrid& grid, TileFn&& fn) {
  tbb::parallel_for(
      tbb::blocked_range<size_t>(0, grid.tiles.size(), /*grainsize=*/1),
      [&](const tbb::blocked_range<size_t>& range) {
        for (size_t i = range.begin(); i != range.end(); ++i) {
          ThrowIfCancelled();
          fn(grid.tiles[i]);
        }
      },
      tbb::simple_partitioner());
  ThrowIfCancelled();
}

// The pixel that owns a point given in image coordinates (origin at the centre of the
// top-left pixel, so pixel (i, j) covers [i - 0.5, i + 0.5) x [j - 0.5, j + 0.5)).
inline cv::Point OwningPixel(double x, double y) {
  return {static_cast<int>(std::floor(x + 0.5)), static_cast<int>(std::floor(y + 0.5))};
}

// Runs fn(const Tile&) -> std::vector<Feature> on every tile in parallel. Each tile may
// report any feature it finds in its padded region, in image coordinates (members x, y);
// a feature is kept only from the tile whose core owns its position, so a feature seen by
// two tiles is kept once. The merged list is sorted by `less` (a strict total order on
// features), which makes it independent of the grid. Correct when fn's features within
// the core depend only on input within the halo (see MakeTileGrid).
template <class Feature, class TileFn, class Less>
std::vector<Feature> CollectTileFeatures(const TileGrid& grid, TileFn&& fn, Less less) {
  std::vector<std::vector<Feature>> per_tile(grid.tiles.size());
  ForEachTile(grid, [&](const Tile& tile) {
    std::vector<Feature> found = fn(tile);
    auto foreign = [&](const Feature& f) { return !tile.core.contains(OwningPixel(f.x, f.y)); };
    found.erase(std::remove_if(found.begin(), found.end(), foreign), found.end());
    per_tile[static_cast<size_t>(tile.index)] = std::move(found);
  });
  std::vector<Feature> merged;
  for (auto& features : per_tile) {
    merged.insert(merged.end(), std::make_move_iterator(features.begin()),
                  std::make_move_iterator(features.end()));
  }
  std::sort(merged.begin(), merged.end(), less);
  return merged;
}

// Canonical order for point features: by row, then column.
struct ByRowThenColumn {
  template <class Feature>
  bool operator()(const Feature& a, const Feature& b) const {
    return a.y != b.y ? a.y < b.y : a.x < b.x;
  }
};

}  // namespace needlescope
