#!/usr/bin/env bash
# Regenerates sample_images/ with `needlescope synth` (see sample_images/README.md).
# Deterministic: rerunning it gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=build/needlescope
[ -x "$bin" ] || tools/build.sh
out=sample_images
rm -f "$out"/*.jpg "$out"/*.png "$out"/*.truth.json "$out"/manifest.csv
"$bin" synth -o "$out" -q --scene skin-treated --seed 101 --skin-type 2 --quality 90 --pattern stamps
"$bin" synth -o "$out" -q --scene skin-treated --seed 102 --skin-type 5 --quality 85 --pattern scatter
"$bin" synth -o "$out" -q --scene pair --seed 103 --skin-type 3 --quality 90 --healing 0.6
"$bin" synth -o "$out" -q --scene substrate --seed 104 --quality 92
"$bin" synth -o "$out" -q --scene skin-untreated --seed 105 --skin-type 4 --quality 85
du -sh "$out"
