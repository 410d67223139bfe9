#!/usr/bin/env bash
# Runs the Google Benchmark micro-benchmarks (bench/). Times are this machine's; compare
# runs made on one machine, not across machines. Extra arguments go to every benchmark,
# e.g. --benchmark_repetitions=5.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/bench/uniformity_bench ] || tools/build.sh
build/bench/uniformity_bench "$@"
