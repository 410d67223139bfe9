#pragma once

// Where the needles went: treated regions, cartridge layouts, pen strokes, scatter, gaps
// and hotspots. Produces puncture positions; rendering them is scenes.cc's job.

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/synth/scene.h"

namespace needlescope::synth {

// Cartridge layouts by name: "circle12" (12 needles on a circle whose neighbours are
// `pitch_px` apart), "grid36" (6 x 6 at pitch), "grid9" (3 x 3 at pitch).
Cartridge MakeCartridge(const std::string& name, double pitch_px);

// A blob-shaped simple polygon (perturbed ellipse) covering roughly `area_fraction` of an
// image of `size`, kept `margin_px` inside the border.
std::vector<cv::Point2d> DrawTreatedPolygon(cv::Size size, double area_fraction, double margin_px,
                                            cv::RNG& rng);

// Needle positions of one stamp.
std::vector<cv::Point2d> StampNeedles(const Cartridge& cartridge, const Stamp& stamp);

// Pen strokes across the polygon: parallel passes in a random direction, a stamp every
// step along each pass, with positional jitter. Fills pattern.stamps.
void DrawStrokeStamps(const std::vector<cv::Point2d>& polygon, const Cartridge& cartridge,
                      cv::RNG& rng, Pattern& pattern);

// Poisson scatter at `density_per_mpx` inside the polygon.
std::vector<cv::Point2d> DrawScatter(const std::vector<cv::Point2d>& polygon,
                                     double density_per_mpx, cv::RNG& rng);

// Adds punctures to `punctures`, treating one that lands within 1.5 x the larger radius of
// an existing one as the same hole re-entered (the existing one gets stronger instead).
// Returns false when it merged.
bool AddPuncture(std::vector<TruthPuncture>& punctures, const TruthPuncture& p);

}  // namespace needlescope::synth
