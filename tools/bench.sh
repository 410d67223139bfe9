#!/usr/bin/env bash
# The benchmark of issue 8: speed, memory and thread scaling against the decoding floor,
# detection alone against decoding (issue 5), accuracy and speed against peers (scikit-image blob_log/blob_dog, OpenCV
# SimpleBlobDetector), and the kernel micro-benchmarks; writes docs/benchmarks.md; then the
# batch audit's throughput and memory (tools/bench-batch.py; writes its section of docs/batch.md)
# and the report page's size and cost (tools/bench-report.py; its section of docs/report.md).
#   tools/bench.sh            full run (about 10 minutes on 2 cores, measured; renders its 1-24 MP
#                             photos into build/bench-images/ once, and the accuracy set
#                             with tools/make-benchset.sh if it is missing)
#   tools/bench.sh --smoke    tiny images, checks every section is measured (tools/test.sh
#                             runs this through ctest); writes build/bench-smoke/benchmarks.md
# Extra arguments go to tools/bench.py (e.g. --repeat 5).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ " $* " != *" --no-build "* ]]; then
  tools/setup-deps.sh
  tools/build.sh
fi
args=()
for a in "$@"; do [ "$a" = "--no-build" ] || args+=("$a"); done
if [[ " ${args[*]-} " != *" --smoke "* ]] && [ ! -d build/benchset/test ]; then
  tools/make-benchset.sh
fi
/usr/bin/python3 tools/bench.py "${args[@]}"
smoke=()
[[ " ${args[*]-} " == *" --smoke "* ]] && smoke=(--smoke)
# The batch audit's throughput and memory (docs/batch.md).
/usr/bin/python3 tools/bench-batch.py "${smoke[@]}"
# The report page's size and cost at 24 MP (docs/report.md).
exec /usr/bin/python3 tools/bench-report.py "${smoke[@]}"
