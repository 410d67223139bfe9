#!/usr/bin/env bash
# Produces models/puncture-classifier.yml.gz: the random forest that decides which detection
# candidates are punctures (docs/detection.md, "Classifier"), trained by
# build/needlescope-train-classifier on the skin scenes of the TUNING set only
# (build/benchset/tune, seeds 1000+; the test set is never used). Candidates are measured
# with the synthetic camera's calibration, as analyze measures them with --chromophores.
# Deterministic: the same tuning set gives the same file. Takes ~10 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope-train-classifier ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
build/needlescope-train-classifier build/benchset/tune \
  --chromophores models/chromophores-synth-camera.json -o models/puncture-classifier.yml.gz "$@"
