#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job (analyze) on sample_images/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
tools/build.sh
out=build/demo
shopt -s nullglob
images=(sample_images/*.jpg)
build/needlescope analyze "${images[@]}" -o "$out" --json "$out/run.json"
echo
echo "Accuracy against the samples' ground truth (docs/evaluation.md):"
build/needlescope eval --truth sample_images --result "$out" --csv "$out/eval.csv"
echo
echo "Results for ${#images[@]} image(s) are in $out/:"
echo "  <name>.json            analysis (format: docs/output-format.md)"
echo "  <name>.punctures.csv   one row per detected puncture"
echo "  <name>.overlay.png     the detections circled on the photo"
echo "  <name>.redness.png     the redness heatmap"
echo "  run.json               summary of the run"
echo "  eval.csv               per-image precision, recall, F1 against the truth"
