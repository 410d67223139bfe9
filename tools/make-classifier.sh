#!/usr/bin/env bash
# Produces models/puncture-classifier.yml.gz: the two-stage random forest that decides which
# detection candidates are punctures (docs/detection.md, "Classifier"), made by
# build/needlescope-train-classifier from synthetic scenes the test set never shares seeds
# with: trained on the tuning set (build/benchset/tune, seeds 1000+) and the training sets
# (train-10000, train-11000, and train-lossless: PNG skin photos, seeds 13000+), decision
# threshold chosen on the validation sets (validation and validation-lossless, seeds 12000+
# and 14000+);
# `tools/make-benchset.sh --training` makes those. Candidates are measured with the synthetic
# camera's calibration, as analyze measures them with --chromophores.
# Deterministic: the same sets give the same file. Takes ~25 minutes on 2 cores (measured).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope-train-classifier ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
[ -d build/benchset/validation-lossless ] || tools/make-benchset.sh --training
build/needlescope-train-classifier build/benchset/tune build/benchset/train-10000 build/benchset/train-11000 \
  build/benchset/train-lossless --validation build/benchset/validation build/benchset/validation-lossless \
  --chromophores models/chromophores-synth-camera.json -o models/puncture-classifier.yml.gz "$@"
