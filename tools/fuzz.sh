#!/usr/bin/env bash
# Fuzzes needlescope's readers with libFuzzer (tests/fuzz, docs/reliability.md).
#   tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]     default: 60 s, every target
# Builds build-fuzz/ (clang, AddressSanitizer + UBSan, coverage from all of our code), then
# runs the targets $(nproc) at a time, each for SECONDS_PER_TARGET of wall time on one core.
# Each target grows its own working corpus in build-fuzz/corpus/<target> (seeded from
# tests/fuzz/corpus/<target>; copy inputs worth keeping back by hand) and writes any crashing
# input to build-fuzz/crashes/<target>/. Prints one line per target; exits 1 if any crashed.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
all_targets=(image_header image_loader csv_readers region_mask truth_json classifier model_json)
targets=("${all_targets[@]}")
if [ $# -gt 0 ]; then targets=("$@"); fi

tools/setup-deps.sh
if ! command -v clang++ >/dev/null 2>&1 || ! ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
  echo "fuzz: needs clang and libFuzzer (Debian: clang libclang-rt-dev; tools/setup-deps.sh installs them)" >&2
  exit 1
fi
# Without precompiled headers: the one build where a library file that forgot an #include
# does not compile (the PCH would have supplied it).
CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DNEEDLESCOPE_ASAN=ON -DNEEDLESCOPE_FUZZ=ON \
  -DNEEDLESCOPE_BUILD_BENCHMARKS=OFF -DNEEDLESCOPE_PCH=OFF >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target $(printf '%s_fuzzer ' "${targets[@]}")

run_one() {
  local target=$1 seconds=$2
  local corpus=build-fuzz/corpus/$target crashes=build-fuzz/crashes/$target log=build-fuzz/logs/$target.log
  mkdir -p "$corpus" "$crashes" build-fuzz/logs
  cp -n tests/fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  local status=ok
  # -timeout: one input taking over 10 s is a hang; -rss_limit_mb: over 2 GB is a leak or a bomb.
  build-fuzz/fuzz/"$target"_fuzzer "$corpus" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$crashes"/ >"$log" 2>&1 || status=CRASH
  local runs
  # The final statistics, or (a run stopped by a crash prints none) the last status line's count.
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' ||
         grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')
  printf '%-14s %-5s %6s s %10s inputs run, corpus %5d files, crashes %d  (%s)\n' "$target" "$status" \
    "$seconds" "$runs" "$(ls "$corpus" | wc -l)" "$(ls "$crashes" | wc -l)" "$log"
}
export -f run_one
printf '%s\n' "${targets[@]}" | xargs -P "$(nproc)" -I{} bash -c "run_one {} $seconds" | tee build-fuzz/summary.txt
! grep -q ' CRASH ' build-fuzz/summary.txt
