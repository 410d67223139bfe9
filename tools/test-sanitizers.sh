#!/usr/bin/env bash
# Builds needlescope with AddressSanitizer + UndefinedBehaviorSanitizer (undefined behaviour
# is fatal: -fno-sanitize-recover) into build-asan/ and runs the test suite under them, less
# the slow tests listed below (docs/reliability.md). `.ci/run` runs this after tools/test.sh.
# The same compiler as the Release build (GCC): the synthetic renderer's random stream
# differs between compilers (docs/reliability.md), and tests pin its values.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1" \
  -DNEEDLESCOPE_ASAN=ON -DNEEDLESCOPE_WERROR=ON -DNEEDLESCOPE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build-asan -j "$(nproc)"
# Left out under the sanitizers (each still runs in tools/test.sh's Release suite), ~4.5 of
# the ~11 CPU-minutes the suite takes under them: accuracy studies whose code paths faster
# tests already run - classifier training on synthetic photos (CliTrain.* train too) and the
# half-life fit over a long photo series (CliSeries.TimePointsFit... fits one).
slow='^(ClassifierTraining\.|CliSeries\.KnownHalfLifeIsRecoveredFromPhotos$)'
cd build-asan
ctest --output-on-failure -j "$(nproc)" -E "$slow"
