// Google Benchmark micro-benchmarks of the uniformity stage: the issue asks that 100 000
// points take well under a second. Run: build/bench/uniformity_bench (or tools/bench-kernels.sh).

#include <benchmark/benchmark.h>
#include <opencv2/core.hpp>

#include "needlescope/uniformity/uniformity.h"

namespace {

using namespace needlescope::uniformity;

std::vector<cv::Point2d> PoissonPoints(int n) {
  cv::RNG rng(9);
  std::vector<cv::Point2d> points;
  for (int i = 0; i < n; ++i) points.emplace_back(rng.uniform(0.0, 1200.0), rng.uniform(0.0, 800.0));
  return points;
}

void BM_MeasureUniformity(benchmark::State& state) {
  const auto points = PoissonPoints(int(state.range(0)));
  const Window window = Window::Rectangle(0, 0, 1200, 800);
  UniformityOptions options;
  options.effect_radii_px = {2.0};
  for (auto _ : state) benchmark::DoNotOptimize(MeasureUniformity(points, window, options));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MeasureUniformity)->Arg(1000)->Arg(10000)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_DirichletTiles(benchmark::State& state) {
  const auto points = PoissonPoints(int(state.range(0)));
  const Window window = Window::Rectangle(0, 0, 1200, 800);
  for (auto _ : state) benchmark::DoNotOptimize(DirichletTiles(points, window));
}
BENCHMARK(BM_DirichletTiles)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_NearestNeighbours(benchmark::State& state) {
  const auto points = PoissonPoints(int(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(NearestNeighbourDistances(points));
}
BENCHMARK(BM_NearestNeighbours)->Arg(100000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
