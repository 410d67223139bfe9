#!/usr/bin/env bash
# Produces models/chromophores-synth-camera.json: the melanin/hemoglobin directions of the
# synthetic scenes' camera, calibrated by `needlescope calibrate` on the TUNING set only
# (build/benchset/tune, seeds 1000+; the test set is never used), exactly as a lab would
# calibrate its own camera. See models/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
build/needlescope calibrate build/benchset/tune/skin-*.jpg build/benchset/tune/pair-*.jpg \
  -o models/chromophores-synth-camera.json
