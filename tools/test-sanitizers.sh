#!/usr/bin/env bash
# Builds needlescope with AddressSanitizer + UndefinedBehaviorSanitizer (undefined behaviour
# is fatal: -fno-sanitize-recover) into build-asan/ and runs the test suite under them, less
# the slow tests listed below (docs/reliability.md). `.ci/run` runs this after tools/test.sh.
# Built with clang, not GCC like the Release build: both compile the same results (the
# renderer's pinned bytes are a test), and clang's instrumented build takes about half as
# long (docs/reliability.md), which keeps CI well under 20 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
CC=clang CXX=clang++ cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1" \
  -DNEEDLESCOPE_ASAN=ON -DNEEDLESCOPE_WERROR=ON -DNEEDLESCOPE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"
# Left out under the sanitizers, to keep CI (Release suite + this) well under 20 minutes on
# 2 cores; each still runs in tools/test.sh's Release suite (docs/reliability.md): the
# longest studies, whose code the remaining tests run on fewer photos (training a classifier
# on many photos, a series' half-life), and the tests that kill runs (what they check is the
# file system's, not memory's). Together 244 of the ~890 CPU-seconds the whole suite took
# under clang's sanitizers (2026-12-08); 356 of the 363 tests run here.
left_out=(
  'ClassifierTraining\.AFewAnnotatedPhotos' 'CliTrain\.WritesAModelThatAnalyzeUses$' 'CliTrain\.ARegionPerPhoto'
  'CliSeries\.KnownHalfLifeIsRecoveredFromPhotos$'
  'KilledRuns\.' 'CliBatch\.KilledAtAnyMomentItLosesAndDoublesNothing$'
)
slow="^($(IFS='|'; echo "${left_out[*]}"))"
cd build-asan
ctest --output-on-failure -j "$(nproc)" -E "$slow"
