#!/usr/bin/env bash
# Runs the Google Benchmark micro-benchmarks (bench/): the hot stages of analyze on a sample
# photo (pipeline_bench), then the uniformity stage (uniformity_bench). Times are this
# machine's; compare runs made on one machine, not across machines. Extra arguments go to
# every benchmark, e.g. --benchmark_repetitions=5 or --benchmark_filter=LogStack.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bench/pipeline_bench ] && [ -x build/bench/uniformity_bench ] || tools/build.sh
build/bench/pipeline_bench "$@"
build/bench/uniformity_bench "$@"
