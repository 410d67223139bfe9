#include "needlescope/detect/puncture_classifier.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include <tbb/parallel_for.h>

#include "needlescope/detect/candidate_context.h"
#include "needlescope/io/json_number.h"
#include "needlescope/tiling/cancellation.h"

namespace needlescope::detect {
namespace {

// One score per row of `features`, [0, 1], in parallel blocks of rows (a row's score
// depends on that row alone, so the result does not depend on the threads).
std::vector<double> ScoreRows(const CompactForest& forest, const cv::Mat& features) {
  CV_Assert(features.type() == CV_32F && features.cols == forest.var_count());
  std::vector<double> scores(size_t(features.rows), 0.0);
  constexpr int kBlockRows = 2048;
  tbb::parallel_for(0, (features.rows + kBlockRows - 1) / kBlockRows, [&](int block) {
    const int begin = block * kBlockRows, end = std::min(features.rows, begin + kBlockRows);
    std::vector<float> predicted(size_t(end - begin));
    forest.PredictRows(features, begin, end, predicted.data());
    for (int i = begin; i < end; ++i) scores[size_t(i)] = std::clamp(double(predicted[size_t(i - begin)]), 0.0, 1.0);
  });
  ThrowIfCancelled();
  return scores;
}

}  // namespace

PunctureClassifier::PunctureClassifier(CompactForest forest, double threshold,
                                       double min_response, std::string description, Plane plane,
                                       CompactForest context_forest)
    : forest_(std::move(forest)),
      threshold_(threshold),
      min_response_(min_response),
      description_(std::move(description)),
      plane_(plane),
      context_forest_(std::move(context_forest)) {
  if (forest_.empty()) throw std::runtime_error("the forest is empty");
  if (forest_.var_count() != int(kCandidateFeatureNames.size()))
    throw std::runtime_error("the forest expects " + std::to_string(forest_.var_count()) +
                             " features, this build measures " +
                             std::to_string(kCandidateFeatureNames.size()));
  const int context_vars = int(kCandidateFeatureNames.size() + kContextFeatureNames.size());
  if (!context_forest_.empty() && context_forest_.var_count() != context_vars)
    throw std::runtime_error("the context forest expects " + std::to_string(context_forest_.var_count()) +
                             " features, this build measures " + std::to_string(context_vars));
  if (!(threshold_ > 0 && threshold_ < 1)) throw std::runtime_error("threshold must be in (0, 1)");
  if (!(min_response_ > 0)) throw std::runtime_error("min_response must be > 0");
}

void PunctureClassifier::CheckBase64Blocks(std::string_view yaml) {
  // Each "!!binary |" block: its lines (indented deeper than the key) hold only base64, all
  // together a multiple of 4 characters with '=' only as the last one or two. Inline
  // "!!binary DATA" is refused: OpenCV writes the block form only.
  std::size_t block_indent = std::string_view::npos;  // npos: not inside a block
  std::string block;                                  // the block's characters so far
  int block_line = 0;
  const auto check_block = [&] {
    const std::size_t padding = block.find('=');
    const bool well_formed = block.size() % 4 == 0 &&
                             (padding == std::string::npos || (padding + 2 >= block.size() &&
                                                               block.find_first_not_of('=', padding) == std::string::npos));
    if (!well_formed) throw std::runtime_error("line " + std::to_string(block_line) + ": a !!binary block is not whole base64");
  };
  int number = 0;
  for (std::size_t start = 0; start <= yaml.size(); ++number) {
    std::size_t end = yaml.find('\n', start);
    if (end == std::string_view::npos) end = yaml.size();
    std::string_view line = yaml.substr(start, end - start);
    start = end + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::size_t indent = line.find_first_not_of(' ');
    if (indent == std::string_view::npos) continue;  // blank
    if (block_indent != std::string_view::npos && indent > block_indent) {
      for (const char c : line.substr(indent)) {
        if (c == ' ') continue;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '/' && c != '=') {
          throw std::runtime_error("line " + std::to_string(number + 1) + ": a !!binary block holds a character that is not base64");
        }
        block += c;
      }
      continue;
    }
    if (block_indent != std::string_view::npos) check_block();
    block_indent = std::string_view::npos;
    const std::size_t tag = line.find("!!binary");
    if (tag == std::string_view::npos) continue;
    const std::size_t after = line.find_first_not_of(' ', tag + 8);
    if (after == std::string_view::npos || line[after] != '|' || line.find_first_not_of(' ', after + 1) != std::string_view::npos) {
      throw std::runtime_error("line " + std::to_string(number + 1) + ": !!binary data must be a \"|\" block");
    }
    block_indent = indent;
    block.clear();
    block_line = number + 1;
  }
  if (block_indent != std::string_view::npos) check_block();
}

std::shared_ptr<const PunctureClassifier> PunctureClassifier::FromYaml(const std::string& text) {
  CheckBase64Blocks(text);
  cv::FileStorage fs;
  try {
    fs.open(text, cv::FileStorage::READ | cv::FileStorage::MEMORY | cv::FileStorage::FORMAT_YAML);
  } catch (const cv::Exception&) {
    throw std::runtime_error("not YAML");
  }
  if (!fs.isOpened()) throw std::runtime_error("not YAML");
  return Read(fs);
}

std::shared_ptr<const PunctureClassifier> PunctureClassifier::Read(const cv::FileStorage& fs) {
  const std::string schema = fs["schema"];
  if (schema == "needlescope.puncture-classifier/1")
    throw std::runtime_error("schema " + schema + " is the old OpenCV-forest format (convert it: needlescope-train-classifier --convert)");
  if (schema != kYamlSchema) throw std::runtime_error(std::string("schema is not ") + kYamlSchema);
  std::vector<std::string> names;
  fs["features"] >> names;
  if (!std::equal(names.begin(), names.end(), kCandidateFeatureNames.begin(), kCandidateFeatureNames.end()))
    throw std::runtime_error("trained on other features than this build measures (retrain it)");
  if (fs["forest"].empty()) throw std::runtime_error("no forest");
  const CompactForest forest = CompactForest::Read(fs["forest"]);
  CompactForest context_forest;
  if (!fs["context_forest"].empty()) {
    fs["context_features"] >> names;
    if (!std::equal(names.begin(), names.end(), kContextFeatureNames.begin(), kContextFeatureNames.end()))
      throw std::runtime_error("context stage trained on other features than this build measures (retrain it)");
    context_forest = CompactForest::Read(fs["context_forest"]);
  }
  Plane plane = Plane::kGreenOd;
  if (!fs["plane"].empty() && !PlaneFromName(std::string(fs["plane"]), &plane))
    throw std::runtime_error("unknown plane " + std::string(fs["plane"]));
  return std::make_shared<const PunctureClassifier>(forest, double(fs["threshold"]), double(fs["min_response"]),
                                                    std::string(fs["description"]), plane,
                                                    context_forest);
}

std::string PunctureClassifier::ToYaml() const {
  cv::FileStorage fs(".yml", cv::FileStorage::WRITE_BASE64 | cv::FileStorage::MEMORY);
  Write(fs);
  return fs.releaseAndGetString();
}

void PunctureClassifier::Write(cv::FileStorage& fs) const {
  fs << "schema" << kYamlSchema;
  fs << "description" << description_;
  fs << "features" << "[";
  for (const char* name : kCandidateFeatureNames) fs << name;
  fs << "]";
  fs << "min_response" << min_response_;
  fs << "threshold" << threshold_;
  fs << "plane" << PlaneName(plane_);
  fs << "forest" << "{";
  forest_.Write(fs);
  fs << "}";
  if (context_forest_.empty()) return;
  fs << "context_features" << "[";
  for (const char* name : kContextFeatureNames) fs << name;
  fs << "]";
  fs << "context_forest" << "{";
  context_forest_.Write(fs);
  fs << "}";
}

namespace {

// The forest's nodes appended to `nodes`, and its sizes for the header.
nlohmann::ordered_json AppendForest(const CompactForest& forest, std::string* nodes) {
  const int written = forest.AppendBinary(nodes);
  return {{"var_count", forest.var_count()}, {"trees", forest.tree_count()}, {"nodes", written}};
}

template <size_t N>
void CheckFeatureNames(const nlohmann::json& names, const std::array<const char*, N>& expected, const char* what) {
  // `what`: "" for the first stage, "context stage " for the second (as the YAML reader says).
  if (!names.is_array() || names.size() != N ||
      !std::equal(names.begin(), names.end(), expected.begin(),
                  [](const nlohmann::json& name, const char* want) { return name.is_string() && name == want; }))
    throw std::runtime_error(std::string(what) + "trained on other features than this build measures (retrain it)");
}

// A size from the header: a whole number in [0, INT_MAX] (io/json_number.h).
int Size(const nlohmann::json& sizes, const char* key) {
  if (const std::optional<int> v = WholeNumber(sizes.at(key), 0)) return *v;
  throw std::runtime_error(std::string("header: ") + key + " is not a whole number in [0, 2^31)");
}

CompactForest ReadForest(const nlohmann::json& sizes, std::string_view* nodes) {
  return CompactForest::ReadBinary(nodes, Size(sizes, "var_count"), Size(sizes, "trees"), Size(sizes, "nodes"));
}

}  // namespace

std::string PunctureClassifier::ToBinary() const {
  std::string nodes;
  nlohmann::ordered_json header = {{"schema", kSchema},
                                   {"description", description_},
                                   {"features", kCandidateFeatureNames},
                                   {"min_response", min_response_},
                                   {"threshold", threshold_},
                                   {"plane", PlaneName(plane_)},
                                   {"forest", AppendForest(forest_, &nodes)}};
  if (!context_forest_.empty()) {
    header["context_features"] = kContextFeatureNames;
    header["context_forest"] = AppendForest(context_forest_, &nodes);
  }
  return header.dump() + "\n" + nodes;  // dump() escapes any newline in the description
}

std::shared_ptr<const PunctureClassifier> PunctureClassifier::FromBinary(std::string_view bytes) {
  const size_t end_of_header = bytes.find('\n');
  if (!LooksBinary(bytes) || end_of_header == std::string_view::npos)
    throw std::runtime_error("no header line");
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(bytes.substr(0, end_of_header));
  } catch (const nlohmann::json::exception&) {
    throw std::runtime_error("the header line is not JSON");
  }
  std::string_view nodes = bytes.substr(end_of_header + 1);
  try {
    if (!header.is_object() || header.value("schema", "") != kSchema)
      throw std::runtime_error(std::string("schema is not ") + kSchema);
    CheckFeatureNames(header.at("features"), kCandidateFeatureNames, "");
    const CompactForest forest = ReadForest(header.at("forest"), &nodes);
    CompactForest context_forest;
    if (header.contains("context_forest")) {
      CheckFeatureNames(header.at("context_features"), kContextFeatureNames, "context stage ");
      context_forest = ReadForest(header.at("context_forest"), &nodes);
    }
    if (!nodes.empty()) throw std::runtime_error(std::to_string(nodes.size()) + " bytes after the last forest");
    Plane plane = Plane::kGreenOd;
    const std::string plane_name = header.value("plane", PlaneName(plane));
    if (!PlaneFromName(plane_name, &plane)) throw std::runtime_error("unknown plane " + plane_name);
    return std::make_shared<const PunctureClassifier>(
        forest, header.at("threshold").get<double>(), header.at("min_response").get<double>(),
        header.at("description").get<std::string>(), plane, context_forest);
  } catch (const nlohmann::json::exception& e) {
    // A field missing or of the wrong type: nlohmann's message names which.
    throw std::runtime_error(std::string("header: ") + e.what());
  }
}

cv::Mat CandidateFeatureMatrix(const std::vector<Candidate>& candidates) {
  cv::Mat m(int(candidates.size()), int(kCandidateFeatureNames.size()), CV_32F);
  for (size_t i = 0; i < candidates.size(); ++i) {
    const auto f = CandidateFeatures(candidates[i]);
    std::copy(f.begin(), f.end(), m.ptr<float>(int(i)));
  }
  return m;
}

std::vector<double> PunctureClassifier::Score(const std::vector<Candidate>& candidates) const {
  if (candidates.empty()) return {};
  const std::vector<double> stage1 = ScoreRows(forest_, CandidateFeatureMatrix(candidates));
  if (context_forest_.empty()) return stage1;
  return ScoreRows(context_forest_, ContextFeatureMatrix(candidates, stage1));
}

}  // namespace needlescope::detect
