#include "needlescope/detect/compact_forest.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace needlescope::detect {

CompactForest CompactForest::FromOpenCv(const cv::ml::RTrees& forest) {
  if (!forest.isTrained()) throw std::runtime_error("the forest is not trained");
  if (forest.isClassifier()) throw std::runtime_error("a classification forest (expected regression)");
  const std::vector<cv::ml::DTrees::Node>& nodes = forest.getNodes();
  const std::vector<cv::ml::DTrees::Split>& splits = forest.getSplits();
  Arrays a;
  for (const cv::ml::DTrees::Node& n : nodes) {
    // Prediction uses a node's first split only (the others are surrogates). Every variable
    // is taken as ordered: OpenCV does not expose the variable types, and the classifier's
    // training data has no categorical ones.
    const bool leaf = n.split < 0;
    a.var.push_back(leaf ? -1 : splits[size_t(n.split)].varIdx);
    a.threshold.push_back(leaf ? 0.f : splits[size_t(n.split)].c);
    a.left.push_back(leaf ? -1 : n.left);
    a.right.push_back(leaf ? -1 : n.right);
    a.missing_left.push_back(n.defaultDir < 0 ? 1 : 0);
    a.value.push_back(n.value);
  }
  return FromArrays(forest.getVarCount(), forest.getRoots(), std::move(a));
}

CompactForest CompactForest::FromArrays(int var_count, std::vector<int> roots, Arrays a) {
  const size_t n = a.var.size();
  if (roots.empty() || n == 0 || a.threshold.size() != n || a.left.size() != n || a.right.size() != n ||
      a.missing_left.size() != n || a.value.size() != n || var_count <= 0)
    throw std::runtime_error("forest arrays are missing or of different lengths");
  if (var_count > INT16_MAX) throw std::runtime_error("too many variables for a packed forest");
  auto node_index = [n](int i) { return i >= 0 && size_t(i) < n; };
  for (int root : roots)
    if (!node_index(root)) throw std::runtime_error("forest root out of range");
  for (size_t i = 0; i < n; ++i) {
    if (a.var[i] < 0) continue;
    // Children come after their parent (OpenCV stores trees depth first), so a walk always
    // ends at a leaf.
    if (a.var[i] >= var_count || !node_index(a.left[i]) || !node_index(a.right[i]) ||
        size_t(a.left[i]) <= i || size_t(a.right[i]) <= i)
      throw std::runtime_error("forest node " + std::to_string(i) + " is inconsistent");
  }
  CompactForest f;
  f.var_count_ = var_count;
  f.roots_ = std::move(roots);
  f.nodes_.resize(n);
  for (size_t i = 0; i < n; ++i) {
    const bool leaf = a.var[i] < 0;
    const int self = int(i);
    f.nodes_[i] = {a.threshold[i], std::int16_t(leaf ? 0 : a.var[i]), std::uint8_t(a.missing_left[i] != 0),
                   std::uint8_t(leaf), {leaf ? self : a.right[i], leaf ? self : a.left[i]}};
  }
  f.value_ = std::move(a.value);
  // Children come after their parents, so one backward pass gives every node's height.
  std::vector<int> height(n, 0);
  for (size_t i = n; i-- > 0;) {
    if (a.var[i] >= 0) height[i] = 1 + std::max(height[size_t(a.left[i])], height[size_t(a.right[i])]);
  }
  for (int root : f.roots_) f.depth_.push_back(height[size_t(root)]);
  return f;
}

CompactForest::Arrays CompactForest::ToArrays() const {
  Arrays a;
  for (const PackedNode& node : nodes_) {
    a.var.push_back(node.leaf ? -1 : node.var);
    a.threshold.push_back(node.threshold);
    a.left.push_back(node.leaf ? -1 : node.child[1]);
    a.right.push_back(node.leaf ? -1 : node.child[0]);
    a.missing_left.push_back(node.missing_left);
  }
  a.value = value_;
  return a;
}

namespace {

// One step down: the missing-value mark (FLT_MAX) goes the node's missing side, any other
// value left when <= the threshold. Written without branches (the way is a coin toss). A
// template only because the node type is private to the class.
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
    for (int d = 0; d < depth_[t]; ++d) n = Step(nodes_[size_t(n)], row);
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
  const PackedNode* nodes = nodes_.data();
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
  const Arrays a = ToArrays();
  fs << "var_count" << var_count_;
  fs << "roots" << roots_;
  fs << "var" << a.var;
  fs << "threshold" << a.threshold;
  fs << "left" << a.left;
  fs << "right" << a.right;
  fs << "missing_left" << a.missing_left;
  fs << "value" << a.value;
}

CompactForest CompactForest::Read(const cv::FileNode& node) {
  int var_count = 0;
  std::vector<int> roots;
  Arrays a;
  try {
    var_count = int(node["var_count"]);
    node["roots"] >> roots;
    node["var"] >> a.var;
    node["threshold"] >> a.threshold;
    node["left"] >> a.left;
    node["right"] >> a.right;
    node["missing_left"] >> a.missing_left;
    node["value"] >> a.value;
  } catch (const cv::Exception& e) {
    throw std::runtime_error("unreadable forest: " + e.msg);
  }
  return FromArrays(var_count, std::move(roots), std::move(a));
}

namespace {

// Little-endian fields, whatever the machine's byte order.
template <typename Bits>
void PutLittleEndian(Bits bits, std::string* out) {
  for (size_t i = 0; i < sizeof(Bits); ++i) out->push_back(char((bits >> (8 * i)) & 0xFF));
}
template <typename Bits>
Bits TakeLittleEndian(std::string_view* bytes) {
  if (bytes->size() < sizeof(Bits)) throw std::runtime_error("the forest's nodes end early");
  Bits bits = 0;
  for (size_t i = 0; i < sizeof(Bits); ++i) bits |= Bits(std::uint8_t((*bytes)[i])) << (8 * i);
  bytes->remove_prefix(sizeof(Bits));
  return bits;
}
// A float's bits as an integer and back (std::bit_cast, before C++20).
template <typename To, typename From>
To BitCast(From from) {
  static_assert(sizeof(To) == sizeof(From));
  To to;
  std::memcpy(&to, &from, sizeof to);
  return to;
}

std::runtime_error NotFinite(int node) {
  return std::runtime_error("forest node " + std::to_string(node) + " holds a number that is not finite");
}

}  // namespace

int CompactForest::AppendBinary(std::string* out) const {
  int written = 0;
  std::vector<int> to_visit;
  for (int root : roots_) {
    to_visit.assign(1, root);
    while (!to_visit.empty()) {
      const int n = to_visit.back();
      to_visit.pop_back();
      ++written;
      const PackedNode& node = nodes_[size_t(n)];
      if (node.leaf) {
        PutLittleEndian(std::uint16_t(-1), out);
        PutLittleEndian(BitCast<std::uint64_t>(value_[size_t(n)]), out);
        continue;
      }
      PutLittleEndian(std::uint16_t(node.var), out);
      out->push_back(char(node.missing_left));
      PutLittleEndian(BitCast<std::uint32_t>(node.threshold), out);
      to_visit.push_back(node.child[0]);  // right, taken after the whole left subtree
      to_visit.push_back(node.child[1]);  // left
    }
  }
  return written;
}

CompactForest CompactForest::ReadBinary(std::string_view* bytes, int var_count, int trees, int nodes) {
  if (var_count <= 0 || trees <= 0 || nodes < trees) throw std::runtime_error("forest sizes out of range");
  // Each node needs at least 7 bytes: a count beyond that is refused before any allocation.
  if (size_t(nodes) > bytes->size() / 7) throw std::runtime_error("the forest's nodes end early");
  Arrays a;
  for (auto* v : {&a.var, &a.left, &a.right, &a.missing_left}) v->reserve(size_t(nodes));
  a.threshold.reserve(size_t(nodes));
  a.value.reserve(size_t(nodes));
  std::vector<int> roots;
  std::vector<int> open_splits;  // of the tree being read, splits whose right child is still to come
  for (int t = 0; t < trees; ++t) {
    roots.push_back(int(a.var.size()));
    int parent = -1;          // the node the next one hangs from (-1: it is the root)
    bool parent_left = true;  // on which side
    while (true) {
      if (int(a.var.size()) == nodes) throw std::runtime_error("the forest has more nodes than its header says");
      const int i = int(a.var.size());
      if (parent >= 0) (parent_left ? a.left : a.right)[size_t(parent)] = i;
      const auto var = std::int16_t(TakeLittleEndian<std::uint16_t>(bytes));
      if (var >= 0) {
        if (var >= var_count) throw std::runtime_error("forest node " + std::to_string(i) + " splits on no variable");
        a.var.push_back(var);
        a.missing_left.push_back(TakeLittleEndian<std::uint8_t>(bytes) != 0);
        a.threshold.push_back(BitCast<float>(TakeLittleEndian<std::uint32_t>(bytes)));
        if (!std::isfinite(a.threshold.back())) throw NotFinite(i);
        a.value.push_back(0.0);  // a split's value is never read
        a.left.push_back(-1);
        a.right.push_back(-1);
        open_splits.push_back(i);
        parent = i, parent_left = true;
        continue;
      }
      if (var != -1) throw std::runtime_error("forest node " + std::to_string(i) + " splits on no variable");
      a.var.push_back(-1);
      a.missing_left.push_back(0);
      a.threshold.push_back(0.f);
      a.value.push_back(BitCast<double>(TakeLittleEndian<std::uint64_t>(bytes)));
      if (!std::isfinite(a.value.back())) throw NotFinite(i);
      a.left.push_back(-1);
      a.right.push_back(-1);
      if (open_splits.empty()) break;  // the tree is complete
      parent = open_splits.back(), parent_left = false;
      open_splits.pop_back();
    }
  }
  if (int(a.var.size()) != nodes) throw std::runtime_error("the forest has fewer nodes than its header says");
  return FromArrays(var_count, std::move(roots), std::move(a));
}

}  // namespace needlescope::detect
