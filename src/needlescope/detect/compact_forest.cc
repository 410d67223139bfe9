#include "needlescope/detect/compact_forest.h"

#include <algorithm>
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
  f.Pack();
  return f;
}

void CompactForest::Pack() {
  if (var_count_ > INT16_MAX) throw std::runtime_error("too many variables for a packed forest");
  packed_.resize(var_.size());
  for (size_t i = 0; i < var_.size(); ++i) {
    const bool leaf = var_[i] < 0;
    const int self = int(i);
    packed_[i] = {threshold_[i], std::int16_t(leaf ? 0 : var_[i]), std::uint8_t(missing_left_[i] != 0), 0,
                  {leaf ? self : right_[i], leaf ? self : left_[i]}};
  }
  // Children come after their parents (checked by Read), so one backward pass gives every
  // node's height.
  std::vector<int> height(var_.size(), 0);
  for (size_t i = var_.size(); i-- > 0;) {
    if (var_[i] >= 0) height[i] = 1 + std::max(height[size_t(left_[i])], height[size_t(right_[i])]);
  }
  depth_.clear();
  for (int root : roots_) depth_.push_back(height[size_t(root)]);
}

namespace {

// One step down: the missing-value mark (FLT_MAX) goes the node's missing side, any other
// value left when <= the threshold. Written without branches (the way is a coin toss).
template <typename Node>
int Step(const Node& node, const float* row) {
  const float v = row[node.var];
  const bool missing = v == FLT_MAX;
  const bool left = (missing & (node.missing_left != 0)) | (!missing & (v <= node.threshold));
  return node.child[left];
}

}  // namespace

float CompactForest::Predict(const float* row) const {
  double sum = 0;
  for (size_t t = 0; t < roots_.size(); ++t) {
    int n = roots_[t];
    for (int d = 0; d < depth_[t]; ++d) n = Step(packed_[size_t(n)], row);
    sum += value_[size_t(n)];
  }
  return float(sum) * (1.f / float(roots_.size()));
}

void CompactForest::PredictRows(const cv::Mat& rows, int begin, int end, float* out) const {
  CV_Assert(rows.type() == CV_32F && rows.cols == var_count_ && begin >= 0 && end <= rows.rows);
  // Each row's sum still runs over the trees in order, so every output equals Predict's.
  constexpr int kBlockRows = 256, kLockstep = 8;
  double sum[kBlockRows];
  const float* row[kBlockRows];
  const PackedNode* nodes = packed_.data();
  for (int first = begin; first < end; first += kBlockRows) {
    const int n = std::min(kBlockRows, end - first);
    std::fill(sum, sum + n, 0.0);
    for (int i = 0; i < n; ++i) row[i] = rows.ptr<float>(first + i);
    for (size_t t = 0; t < roots_.size(); ++t) {
      int i = 0;
      for (; i + kLockstep <= n; i += kLockstep) {  // independent walks, overlapped by the CPU
        int at[kLockstep];
        std::fill(at, at + kLockstep, roots_[t]);
        for (int d = 0; d < depth_[t]; ++d) {
          for (int k = 0; k < kLockstep; ++k) at[k] = Step(nodes[at[k]], row[i + k]);
        }
        for (int k = 0; k < kLockstep; ++k) sum[i + k] += value_[size_t(at[k])];
      }
      for (; i < n; ++i) {
        int at = roots_[t];
        for (int d = 0; d < depth_[t]; ++d) at = Step(nodes[at], row[i]);
        sum[i] += value_[size_t(at)];
      }
    }
    for (int i = 0; i < n; ++i) out[first - begin + i] = float(sum[i]) * (1.f / float(roots_.size()));
  }
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
  f.Pack();
  return f;
}

}  // namespace needlescope::detect
