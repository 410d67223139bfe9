#pragma once

// A trained regression forest as flat arrays: what the puncture classifier stores and runs.
// Made from an OpenCV ml::RTrees once, after training (FromOpenCv); its prediction is the
// same float as RTrees::predict gives for every row (the same comparisons, leaf values
// summed in double over the trees in order, then as float times 1/trees), which the
// tests check. Stored in a model file in a compact binary form (AppendBinary), or in YAML
// as a few base64 arrays (Write), which OpenCV parses into a node per number.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/ml.hpp>

namespace needlescope::detect {

class CompactForest {
 public:
  CompactForest() = default;
  // Throws std::runtime_error for an untrained or classification forest. Every variable
  // must be ordered (the default for float training data; OpenCV does not say).
  static CompactForest FromOpenCv(const cv::ml::RTrees& forest);
  // Reads what Write wrote (the contents of a map node); throws std::runtime_error naming
  // what is inconsistent (sizes, child or variable indices out of range).
  static CompactForest Read(const cv::FileNode& node);
  void Write(cv::FileStorage& storage) const;  // inside an open map
  // The binary form, what model files of schema /3 hold (puncture_classifier.h): each tree
  // in preorder (a node, then its left subtree, then its right), a split as int16 variable,
  // uint8 missing side (1 = left), float32 threshold; a leaf as int16 -1 and float64 value;
  // little-endian. The node order is implied, so a tree has no child indices to check, and
  // the two forests of the shipped model are read in a few milliseconds where OpenCV's YAML
  // reader took 0.2 s (BM_LoadClassifier). Predictions are unchanged: the same trees.
  // Returns how many nodes it wrote (those reachable from the roots: all, for a forest
  // from OpenCV or from a file), the count ReadBinary is to be given.
  int AppendBinary(std::string* out) const;
  // Reads `trees` trees of `nodes` nodes in all from the front of `bytes`, and advances it
  // past them; throws std::runtime_error when the bytes end early, a variable is out of
  // range, or the trees hold more or fewer than `nodes` nodes.
  static CompactForest ReadBinary(std::string_view* bytes, int var_count, int trees, int nodes);

  bool empty() const { return roots_.empty(); }
  int var_count() const { return var_count_; }
  int tree_count() const { return int(roots_.size()); }
  int node_count() const { return int(nodes_.size()); }
  // The forest's output for one row of var_count() features.
  float Predict(const float* row) const;
  // Predict for rows [begin, end) of `rows` (CV_32F, var_count() columns) into out[0 ..
  // end - begin): the same floats, about twice as fast (BM_ScoreCandidates) - tree by tree
  // over blocks of rows, so that one tree's nodes stay in cache while the rows pass through.
  void PredictRows(const cv::Mat& rows, int begin, int end, float* out) const;

 private:
  // The stored form (Read, Write, FromOpenCv): per node the variable it splits on (-1: a
  // leaf), the threshold (row[var] <= threshold goes left), the children (-1 in a leaf), the
  // side a missing value (FLT_MAX, OpenCV's mark) takes, and the leaf value.
  struct Arrays {
    std::vector<int> var, left, right, missing_left;
    std::vector<float> threshold;
    std::vector<double> value;
  };
  static CompactForest FromArrays(int var_count, std::vector<int> roots, Arrays arrays);
  Arrays ToArrays() const;

  // What prediction reads: one 16-byte record per node, so that a step down a tree reads
  // one cache line. A leaf is packed as its own two children: a walk may then take a tree's
  // full depth of steps for every row, with no test for leaves, and run several rows in
  // lockstep without a branch to mispredict.
  struct PackedNode {
    float threshold;
    std::int16_t var;  // 0 in a leaf (any variable will do: both ways lead back to it)
    std::uint8_t missing_left;
    std::uint8_t leaf;
    std::int32_t child[2];  // right, left
  };
  int var_count_ = 0;
  std::vector<int> roots_;
  std::vector<PackedNode> nodes_;
  std::vector<double> value_;  // per node; read at leaves
  std::vector<int> depth_;     // per tree: the most steps from its root to a leaf
};

}  // namespace needlescope::detect
