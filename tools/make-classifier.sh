#!/usr/bin/env bash
# Produces models/puncture-classifier.bin: the two-stage random forest that decides which
# detection candidates are punctures (docs/detection.md, "Classifier"), made by
# build/needlescope-train-classifier from synthetic scenes the test sets never share seeds
# with: the tuning layout (seeds 1000+) rendered by each of the three renderer families
# (build/benchset/tune, tune-b, tune-c: `tools/make-benchset.sh`, `--family b --tune`,
# `--family c --tune`), 180 photos, 30 trees per forest, candidates measured with the
# literature vectors (what analyze uses without --chromophores), the decision threshold by
# out-of-fold F1. This is the recipe whose leave-one-family-out figure (trained on two
# families, scored on the third's test set) is the headline in docs/detection.md: 0.802 on
# the worst held-out family.
# Deterministic: the same sets give the same file. Took 31 minutes on 2 cores (measured,
# 2026-12-07, shared with other work).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x build/needlescope-train-classifier ] || tools/build.sh
[ -d build/benchset/tune ] || tools/make-benchset.sh
[ -d build/benchset/tune-b ] || tools/make-benchset.sh --family b --tune
[ -d build/benchset/tune-c ] || tools/make-benchset.sh --family c --tune
build/needlescope-train-classifier build/benchset/tune build/benchset/tune-b build/benchset/tune-c --trees 30 \
  -o models/puncture-classifier.bin "$@"
