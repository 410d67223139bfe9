#!/usr/bin/env bash
# Which plane should blood candidates be found on? Trains one classifier per plane (green
# OD, luminance OD, unmixed hemoglobin) on the TUNING set exactly as tools/make-classifier.sh
# does, scores each on the TEST set with needlescope eval, and prints a Markdown table
# (docs/detection.md, "Which channel"). Models go to build/channels/. ~15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope-train-classifier ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
mkdir -p build/channels
test_images=$(ls build/benchset/test/skin-*.jpg build/benchset/test/pair-*.jpg)
echo "| candidate plane | out-of-fold F1 (tuning) | test F1 (P, R) | F1 Fitzpatrick VI | untreated FP per MP |"
echo "| --- | --- | --- | --- | --- |"
for plane in green_od luminance_od hemoglobin; do
  model=build/channels/$plane.bin
  oof=$(build/needlescope-train-classifier build/benchset/tune --chromophores models/chromophores-synth-camera.json \
          --plane "$plane" -o "$model" 2>&1 | sed -n 's/^out-of-fold at threshold [0-9.]*: \([0-9.]*\).*/\1/p')
  out=build/channels/$plane
  rm -rf "$out"
  # shellcheck disable=SC2086
  build/needlescope analyze $test_images -o "$out" -q --chromophores models/chromophores-synth-camera.json \
    --classifier "$model"
  build/needlescope eval --truth build/benchset/test --result "$out" --json "$out/eval.json" -q 2>/dev/null || true
  /usr/bin/python3 - "$out/eval.json" "$plane" "$oof" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
kinds = r["groups"]["kind"]
tp = sum(kinds[k]["tp"] for k in kinds if k != "skin-untreated")
fp = sum(kinds[k]["fp"] for k in kinds if k != "skin-untreated")
fn = sum(kinds[k]["fn"] for k in kinds if k != "skin-untreated")
f1 = 2 * tp / (2 * tp + fp + fn)
vi = r["groups"]["fitzpatrick"]["6"]["f1"]
print(f"| {sys.argv[2]} | {float(sys.argv[3]):.3f} | {f1:.3f} ({tp / (tp + fp):.3f}, {tp / (tp + fn):.3f}) | {vi:.3f} | "
      f"{kinds['skin-untreated']['fp_per_mp']:.1f} |")
PY
done
