#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job (analyze) on sample_images/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
tools/build.sh
out=build/demo
shopt -s nullglob
images=(sample_images/*.jpg sample_images/*.png)
build/needlescope analyze "${images[@]}" -o "$out" --json "$out/run.json"
echo
echo "Results for ${#images[@]} image(s) are in $out/:"
echo "  <name>.json            analysis (format: docs/output-format.md)"
echo "  <name>.punctures.csv   one row per detected puncture"
echo "  run.json               summary of the run"
