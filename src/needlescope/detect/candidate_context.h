#pragma once

// Context features for the classifier's second stage (docs/detection.md, "Classifier"):
// what a candidate's neighbours look like once every candidate has a first-stage score.
// A puncture rarely comes alone - a pen leaves fields of them - while noise maxima on dark
// skin and specks on untreated skin are scattered; and several maxima on one red papule
// crowd each other at a few pixels. A single candidate's own measurements cannot see this.
//
// Computed on the whole image's candidate list (after the tiles are merged), so it does not
// depend on tiling; sums run over neighbours in a fixed order, so it does not depend on
// threads either.

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "needlescope/detect/candidate.h"

namespace needlescope::detect {

inline constexpr std::array<const char*, 10> kContextFeatureNames = {
    "stage1_score",               // the candidate's own first-stage score
    "best_neighbour_score_4px",   // the highest first-stage score of another candidate within 4 px
    "neighbour_score_sum_12px",   // sum of the other candidates' scores within 12 px
    "neighbour_score_sum_30px",   // ... within 30 px
    "neighbour_score_sum_60px",   // ... within 60 px (the field a pen pass leaves)
    "neighbours_12px",            // how many other candidates lie within 12 px (local noise)
    "neighbours_60px",            // ... within 60 px
    "response_over_neighbours_12px",   // own response over the mean response within 12 px
    // The nearest candidate with a higher first-stage score (within 12 px): its distance
    // over the candidate's radius, and its score. A second maximum on one puncture sits
    // about a radius from a stronger one; two real punctures overlap less often. An equal
    // score counts as higher when the neighbour comes first in the candidate list (which is
    // the same for any tile size and thread count); only these two features see the order.
    "stronger_neighbour_distance_over_radius",  // 12 px / radius when there is none (radius >= 1)
    "stronger_neighbour_score"};                // 0 when there is none

// One row per candidate: kCandidateFeatureNames then kContextFeatureNames (CV_32F).
cv::Mat ContextFeatureMatrix(const std::vector<Candidate>& candidates, const std::vector<double>& stage1_scores);

}  // namespace needlescope::detect
