#!/usr/bin/env bash
# Produces models/puncture-classifier.bin: the two-stage random forest that decides which
# detection candidates are punctures (docs/detection.md, "Classifier"), made by
# build/needlescope-train-classifier from synthetic scenes the test set never shares seeds
# with: trained on the tuning set (build/benchset/tune, seeds 1000+) and the training sets
# (train-10000, train-11000, train-lossless: PNG skin photos, seeds 13000+, and train-dark:
# Fitzpatrick V and VI only, seeds 15000+ and 16000+), decision
# threshold chosen on the validation sets (validation and validation-lossless, seeds 12000+
# and 14000+);
# `tools/make-benchset.sh --training` makes those. Candidates are measured with the synthetic
# camera's calibration, as analyze measures them with --chromophores.
# Deterministic: the same sets give the same file. Takes ~39 minutes on 2 cores (measured).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope-train-classifier ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
[ -d build/benchset/train-dark ] || tools/make-benchset.sh --training
build/needlescope-train-classifier build/benchset/tune build/benchset/train-10000 build/benchset/train-11000 \
  build/benchset/train-lossless build/benchset/train-dark --validation build/benchset/validation build/benchset/validation-lossless \
  --chromophores models/chromophores-synth-camera.json -o models/puncture-classifier.bin "$@"
