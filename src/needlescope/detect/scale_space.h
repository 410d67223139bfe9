#pragma once

// Scale-space spot finding (docs/detection.md, steps 1-3): a scale-normalised Laplacian of
// Gaussian stack of one optical-density plane, spatial maxima at every scale, the merge
// rule for two close spots, greedy suppression, sub-pixel centres. Works on one padded
// tile; coordinates are the plane's pixels (origin at the centre of the top-left pixel).

#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/tile_workspace.h"

namespace needlescope::detect {

// A spot exp(-d^2/r^2) blurred by a lens of this sigma is a Gaussian of sigma
// sqrt(r^2/2 + lens^2); the scale-normalised LoG peaks at that sigma.
constexpr double kLensSigmaPx = 0.7;

// `scales` sigmas, geometric, covering spot radii [min_radius_px, max_radius_px].
std::vector<double> LogSigmas(double min_radius_px, double max_radius_px, int scales);
double RadiusFromSigma(double sigma);

// -sigma^2 * Laplacian(G_sigma * plane) for every sigma (CV_32F, plane's size): bright
// where a dark (absorbing) spot of that scale is. With a workspace, the planes are its
// (TileWorkspace::kStack on) and the scratch too.
std::vector<cv::Mat> LogStack(const cv::Mat& plane, const std::vector<double>& sigmas,
                              TileWorkspace* workspace = nullptr);

struct SpotMaximum {
  double x = 0, y = 0;  // sub-pixel centre, image pixels
  int px = 0, py = 0;   // the maximum's pixel in the plane
  int scale = 0;        // index into the sigmas
  double radius_px = 0;
  double response = 0;  // at the winning scale
};

// Maxima of the stack with response >= min_response, one per spot: per-scale 3x3 maxima,
// coarse maxima covering two or more distinct finer ones dropped (the merge rule), then
// greedy suppression by response. Cost is linear in the number of maxima (grid-bucketed
// neighbour search). Order: by response, strongest first, ties by (y, x). `origin` is the
// plane's top-left pixel in the image: centres are returned in image coordinates, computed
// as (origin + pixel) + offset so that they are bit-identical whatever the tiling.
std::vector<SpotMaximum> FindSpotMaxima(const std::vector<cv::Mat>& stack,
                                        const std::vector<double>& sigmas,
                                        double min_response,
                                        cv::Point origin);

}  // namespace needlescope::detect
