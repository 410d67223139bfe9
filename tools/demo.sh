#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job (analyze) on sample_images/.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/setup-deps.sh
tools/build.sh
out=build/demo
rm -rf "$out"
# The samples are synthetic, so their camera's calibration applies (models/README.md);
# the validation substrate is stained, not bloody.
# The samples' scale is about 0.07 mm per px; needles act ~0.25 mm around each puncture.
build/needlescope analyze sample_images/skin-*.jpg sample_images/pair-*.jpg -o "$out" \
  --chromophores models/chromophores-synth-camera.json --json "$out/run.json" \
  --mm-per-px 0.07 --effect-radius 0.25mm --target-density 250:300
build/needlescope analyze sample_images/substrate-*.jpg -o "$out" --target stain
images=(sample_images/*.jpg)
echo
echo "Accuracy against the samples' ground truth (docs/evaluation.md):"
build/needlescope eval --truth sample_images --result "$out" --csv "$out/eval.csv"
echo
echo "Healing between the sample pair's two sessions (docs/compare.md):"
build/needlescope compare sample_images/pair-103-before.jpg sample_images/pair-103-after.jpg -o "$out" \
  --chromophores models/chromophores-synth-camera.json
echo
echo "Device validation of the sample substrate, its cartridge inferred from the stamps (docs/validation.md):"
build/needlescope validate sample_images/substrate-104.jpg -o "$out" --cartridge auto
echo
echo "Batch audit of every sample, with quality-control flags (docs/batch.md):"
build/needlescope batch sample_images -o "$out/audit" --mm-per-px 0.07
cut -d, -f1-4 "$out/audit/summary.csv"
echo
echo "Results for ${#images[@]} image(s) are in $out/:"
echo "  <name>.report.html     open this in a browser: the photo with switchable layers, the numbers in words"
echo "  <name>.json            analysis (format: docs/output-format.md)"
echo "  <name>.punctures.csv   one row per detected puncture"
echo "  pair-103-before_vs_pair-103-after.*  the before/after comparison (report page with a slider, JSON, persistence CSV)"
echo "  run.json               summary of the run"
echo "  eval.csv               per-image precision, recall, F1 against the truth"
echo "  substrate-104.validation.json, .needles.csv, .validation.png, .cartridge.json   the stamps, needle by needle"
echo "  audit/                 results.jsonl, summary.csv, audit.sqlite of the batch (rerun: only new photos)"
