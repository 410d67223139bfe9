#pragma once

// Building blocks for synthetic scenes: random fields and spots drawn into float maps.

#include <vector>

#include <opencv2/core.hpp>

namespace needlescope::synth {

// Zero-mean, unit-sd random field whose features are about `scale_px` wide (white noise
// blurred with sigma = scale_px, made at reduced resolution for large scales).
cv::Mat SmoothNoise(cv::Size size, double scale_px, cv::RNG& rng);

// map += amplitude * exp(-d^2 / radius^2) around (x, y): radius is where it falls to 1/e.
void AddGaussianSpot(cv::Mat& map, double x, double y, double radius_px, double amplitude);

// map += amplitude * (1 + d^2 / radius^2)^-1.5 around (x, y), out to 10 radii: a long-tailed
// spot (blood spreading in the dermis).
void AddLorentzianSpot(cv::Mat& map, double x, double y, double radius_px, double amplitude);

// map += amplitude * (flat-topped disc of `radius_px` with a soft edge of `edge_px`).
void AddFlatSpot(cv::Mat& map, double x, double y, double radius_px, double edge_px,
                 double amplitude);

// Coverage in [0, 1] of a polygon (anti-aliased by 4x4 supersampling), CV_32F.
cv::Mat PolygonCoverage(cv::Size size, const std::vector<cv::Point2d>& polygon);

// Whether p lies inside the ellipse (angle in degrees, as cv::RotatedRect).
bool InsideEllipse(const cv::RotatedRect& ellipse, cv::Point2d p);

// Point-in-polygon (even-odd rule).
bool InsidePolygon(const std::vector<cv::Point2d>& polygon, cv::Point2d p);

// Coverage in [0, 1] of a smooth curve (quadratic Bezier p0-p1-p2) of the given width,
// anti-aliased, accumulated into `alpha` as max(alpha, opacity * coverage).
void DrawStrand(cv::Mat& alpha, cv::Point2d p0, cv::Point2d p1, cv::Point2d p2, double width_px,
                double opacity);

}  // namespace needlescope::synth
