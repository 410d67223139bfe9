// Google Benchmark micro-benchmarks of the hot stages of `analyze`, on a sample photo
// (sample_images/skin-treated-101.jpg, 1024 x 768), so that a regression in one stage can be
// found without the noise of a whole run: colour conversion, the scale-space response,
// maxima finding, the tile merge, and each whole stage. Run: tools/bench-kernels.sh.

#include <fstream>
#include <iterator>

#include <benchmark/benchmark.h>
#include <opencv2/imgcodecs.hpp>

#include "needlescope/color/color_maps.h"
#include "needlescope/detect/blob_detector.h"
#include "needlescope/detect/puncture_classifier.h"
#include "needlescope/detect/scale_space.h"
#include "needlescope/detect/tile_workspace.h"
#include "needlescope/redness/redness.h"
#include "needlescope/tiling/tiled_run.h"

namespace {

using namespace needlescope;

const cv::Mat& SamplePhoto() {
  static const cv::Mat photo = [] {
    cv::Mat image = cv::imread(NEEDLESCOPE_SAMPLES_DIR "/skin-treated-101.jpg", cv::IMREAD_COLOR);
    if (image.empty()) throw std::runtime_error("sample_images/skin-treated-101.jpg not readable");
    return image;
  }();
  return photo;
}

// The detection plane (green optical density) of the whole sample photo.
cv::Mat GreenOd() {
  const auto& od = color::OpticalDensityTable();
  cv::Mat plane(SamplePhoto().size(), CV_32F);
  for (int y = 0; y < plane.rows; ++y) {
    const cv::Vec3b* p = SamplePhoto().ptr<cv::Vec3b>(y);
    for (int x = 0; x < plane.cols; ++x) plane.at<float>(y, x) = float(od[p[x][1]]);
  }
  return plane;
}

// The default model, read as `analyze` reads it: the file's bytes, then header and forests.
std::shared_ptr<const detect::PunctureClassifier> LoadDefaultClassifier() {
  std::ifstream file(NEEDLESCOPE_MODELS_DIR "/puncture-classifier.bin", std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  return detect::PunctureClassifier::FromBinary(bytes);
}

void SetPixels(benchmark::State& state) {
  state.SetItemsProcessed(int64_t(state.iterations()) * int64_t(SamplePhoto().total()));
}

// The floor the detection stage is compared with (issue 5: about 2 x decoding): plain
// cv::imread of the same photo, one thread (libjpeg does not split a baseline JPEG).
void BM_DecodeSamplePhoto(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(cv::imread(NEEDLESCOPE_SAMPLES_DIR "/skin-treated-101.jpg", cv::IMREAD_COLOR));
  }
  SetPixels(state);
}
BENCHMARK(BM_DecodeSamplePhoto)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SkinMask(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(color::ComputeSkinMask(SamplePhoto(), {}));
  SetPixels(state);
}
BENCHMARK(BM_SkinMask)->Unit(benchmark::kMillisecond)->UseRealTime();

// The one full-size plane redness builds (melanin, erythema index and a* are summarised from
// the photo row by row; BM_AStarMap measures that per-pixel a* over the whole photo).
void BM_HemoglobinMap(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(color::ComputeChromophoreMap(SamplePhoto(), color::LiteratureVectors(), 1, {}));
  }
  SetPixels(state);
}
BENCHMARK(BM_HemoglobinMap)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_AStarMap(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(color::ComputeAStarMap(SamplePhoto(), {1.0, 1.0, 1.0}, {}));
  SetPixels(state);
}
BENCHMARK(BM_AStarMap)->Unit(benchmark::kMillisecond)->UseRealTime();

// The a* cache's worst case: uniformly random colours (nearly every pixel a new one, where
// the sample photo holds 12 000), so almost every lookup misses.
void BM_AStarMapEveryColour(benchmark::State& state) {
  cv::Mat noise(SamplePhoto().size(), CV_8UC3);
  cv::randu(noise, 0, 256);
  for (auto _ : state) benchmark::DoNotOptimize(color::ComputeAStarMap(noise, {1.0, 1.0, 1.0}, {}));
  SetPixels(state);
}
BENCHMARK(BM_AStarMapEveryColour)->Unit(benchmark::kMillisecond)->UseRealTime();

const std::vector<double> kSigmas = detect::LogSigmas(1.0, 4.0, detect::DetectOptions{}.scales);

void BM_LogStack(benchmark::State& state) {
  const cv::Mat plane = GreenOd();
  for (auto _ : state) benchmark::DoNotOptimize(detect::LogStack(plane, kSigmas));
  SetPixels(state);
}
BENCHMARK(BM_LogStack)->Unit(benchmark::kMillisecond)->UseRealTime();

// The same in a reused workspace, as detection's tiles run it: no fresh pages to fault in,
// so this is the filters' own cost (7 Gaussian blurs and Laplacians).
void BM_LogStackInWorkspace(benchmark::State& state) {
  const cv::Mat plane = GreenOd();
  detect::TileWorkspace workspace;
  for (auto _ : state) benchmark::DoNotOptimize(detect::LogStack(plane, kSigmas, &workspace));
  SetPixels(state);
}
BENCHMARK(BM_LogStackInWorkspace)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_FindSpotMaxima(benchmark::State& state) {
  const std::vector<cv::Mat> stack = detect::LogStack(GreenOd(), kSigmas);
  const double min_response = 0.05;  // the default classifier's candidate threshold
  for (auto _ : state) benchmark::DoNotOptimize(detect::FindSpotMaxima(stack, kSigmas, min_response, {0, 0}));
  SetPixels(state);
}
BENCHMARK(BM_FindSpotMaxima)->Unit(benchmark::kMillisecond)->UseRealTime();

// The engine's merge: ownership filtering and the canonical sort of features that every
// tile reports from its padded region (here 40 per 64 x 64 px, a dense treatment).
void BM_TileMerge(benchmark::State& state) {
  struct Point {
    double x, y;
  };
  const TileGrid grid = MakeTileGrid({6000, 4000}, {512}, 32);
  for (auto _ : state) {
    auto points = CollectTileFeatures<Point>(
        grid,
        [](const Tile& tile) {
          std::vector<Point> found;
          const cv::Rect r = tile.padded;
          for (int y = r.y; y < r.y + r.height; y += 10)
            for (int x = r.x; x < r.x + r.width; x += 10) found.push_back({x + 0.25, y + 0.5});
          return found;
        },
        ByRowThenColumn());
    benchmark::DoNotOptimize(points);
  }
}
BENCHMARK(BM_TileMerge)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DetectPunctures(benchmark::State& state) {
  detect::DetectOptions options;  // thresholds: the stage without the forest
  for (auto _ : state) benchmark::DoNotOptimize(detect::DetectPunctures(SamplePhoto(), options));
  SetPixels(state);
}
BENCHMARK(BM_DetectPunctures)->Unit(benchmark::kMillisecond)->UseRealTime();

// The stage as `analyze` runs it by default: the model's lower candidate threshold (about
// three times the candidates) and both forests scoring them.
void BM_DetectPuncturesWithModel(benchmark::State& state) {
  detect::DetectOptions options;
  options.classifier = LoadDefaultClassifier();
  for (auto _ : state) benchmark::DoNotOptimize(detect::DetectPunctures(SamplePhoto(), options));
  SetPixels(state);
}
BENCHMARK(BM_DetectPuncturesWithModel)->Unit(benchmark::kMillisecond)->UseRealTime();

// The default model's two forests scoring every candidate of the sample photo (about 3 900,
// found once, outside the loop).
void BM_ScoreCandidates(benchmark::State& state) {
  const auto classifier = LoadDefaultClassifier();
  detect::DetectOptions options;
  options.classifier = classifier;
  const std::vector<detect::Candidate> candidates = detect::DetectPunctures(SamplePhoto(), options).candidates;
  for (auto _ : state) benchmark::DoNotOptimize(classifier->Score(candidates));
  state.counters["candidates"] = double(candidates.size());  // not pixels: no MP/s
}
BENCHMARK(BM_ScoreCandidates)->Unit(benchmark::kMillisecond)->UseRealTime();

// Reading the default model, which every `analyze` run does before its first photo, on one
// thread whatever --threads says.
void BM_LoadClassifier(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(LoadDefaultClassifier());
}
BENCHMARK(BM_LoadClassifier)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_MeasureRedness(benchmark::State& state) {
  redness::RednessOptions options;
  for (auto _ : state) benchmark::DoNotOptimize(redness::MeasureRedness(SamplePhoto(), options));
  SetPixels(state);
}
BENCHMARK(BM_MeasureRedness)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
BENCHMARK_MAIN();
