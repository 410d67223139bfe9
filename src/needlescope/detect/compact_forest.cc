#include "needlescope/detect/compact_forest.h"

#include <cfloat>
#include <stdexcept>

namespace needlescope::detect {

CompactForest CompactForest::FromOpenCv(const cv::ml::RTrees& forest) {
  if (!forest.isTrained()) throw std::runtime_error("the forest is not trained");
  if (forest.isClassifier()) throw std::runtime_error("a classification forest (expected regression)");
  CompactForest f;
  f.var_count_ = forest.getVarCount();
  f.roots_ = forest.getRoots();
  const std::vector<cv::ml::DTrees::Node>& nodes = forest.getNodes();
  const std::vector<cv::ml::DTrees::Split>& splits = forest.getSplits();
  for (const cv::ml::DTrees::Node& n : nodes) {
    // Prediction uses a node's first split only (the others are surrogates). Every variable
    // is taken as ordered: OpenCV does not expose the variable types, and the classifier's
    // training data has no categorical ones.
    const bool leaf = n.split < 0;
    f.var_.push_back(leaf ? -1 : splits[size_t(n.split)].varIdx);
    f.threshold_.push_back(leaf ? 0.f : splits[size_t(n.split)].c);
    f.left_.push_back(n.left);
    f.right_.push_back(n.right);
    f.missing_left_.push_back(n.defaultDir < 0 ? 1 : 0);
    f.value_.push_back(n.value);
  }
  return f;
}

float CompactForest::Predict(const float* row) const {
  double sum = 0;
  for (int root : roots_) {
    int n = root;
    while (var_[size_t(n)] >= 0) {
      const float v = row[var_[size_t(n)]];
      const bool left = v == FLT_MAX ? missing_left_[size_t(n)] != 0 : v <= threshold_[size_t(n)];
      n = left ? left_[size_t(n)] : right_[size_t(n)];
    }
    sum += value_[size_t(n)];
  }
  return float(sum) * (1.f / float(roots_.size()));
}

void CompactForest::Write(cv::FileStorage& fs) const {
  fs << "var_count" << var_count_;
  fs << "roots" << roots_;
  fs << "var" << var_;
  fs << "threshold" << threshold_;
  fs << "left" << left_;
  fs << "right" << right_;
  fs << "missing_left" << missing_left_;
  fs << "value" << value_;
}

CompactForest CompactForest::Read(const cv::FileNode& node) {
  CompactForest f;
  try {
    f.var_count_ = int(node["var_count"]);
    node["roots"] >> f.roots_;
    node["var"] >> f.var_;
    node["threshold"] >> f.threshold_;
    node["left"] >> f.left_;
    node["right"] >> f.right_;
    node["missing_left"] >> f.missing_left_;
    node["value"] >> f.value_;
  } catch (const cv::Exception& e) {
    throw std::runtime_error("unreadable forest: " + e.msg);
  }
  const size_t n = f.var_.size();
  if (f.roots_.empty() || n == 0 || f.threshold_.size() != n || f.left_.size() != n || f.right_.size() != n ||
      f.missing_left_.size() != n || f.value_.size() != n || f.var_count_ <= 0)
    throw std::runtime_error("forest arrays are missing or of different lengths");
  auto node_index = [n](int i) { return i >= 0 && size_t(i) < n; };
  for (int root : f.roots_)
    if (!node_index(root)) throw std::runtime_error("forest root out of range");
  for (size_t i = 0; i < n; ++i) {
    if (f.var_[i] < 0) continue;
    // Children come after their parent (OpenCV stores trees depth first), so a walk always
    // ends at a leaf.
    if (f.var_[i] >= f.var_count_ || !node_index(f.left_[i]) || !node_index(f.right_[i]) ||
        size_t(f.left_[i]) <= i || size_t(f.right_[i]) <= i)
      throw std::runtime_error("forest node " + std::to_string(i) + " is inconsistent");
  }
  return f;
}

}  // namespace needlescope::detect
