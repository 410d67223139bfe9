#!/usr/bin/env bash
# Configures and builds needlescope into build/ (Release, warnings as errors, tests on).
# Shared by demo.sh and test.sh. Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DNEEDLESCOPE_WERROR=ON "$@" >/dev/null
cmake --build build -j "$(nproc)"
