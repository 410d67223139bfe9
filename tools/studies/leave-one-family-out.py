#!/usr/bin/python3
"""Leave one renderer family out: does training on several families transfer better?

usage: tools/studies/leave-one-family-out.py [--trees 60]

For each renderer family H of a, b, c: trains the two-stage classifier
(build/needlescope-train-classifier, its default options: literature vectors - what
`analyze` uses without --chromophores - and the decision threshold by out-of-fold F1) on the
TUNING sets (seeds 1000+) of the two other families, then scores H's TEST set (seeds 2000+:
no seed shared) with analyze's default options and that model. The worst of the three is
the leave-one-family-out figure. For comparison
the shipped classifier (models/puncture-classifier.bin: since 2026-12-07 this recipe on all
three tuning sets, tools/make-classifier.sh; before, family A only with calibrated features,
276 photos) is scored on every test set with the same options.

Tuning sets: build/benchset/tune (A), tune-b, tune-c (tools/make-benchset.sh, and
`--family b --tune`, `--family c --tune`); test sets: test, test-b, test-c (without and with
`--family b|c`). Models are written to build/lofo/ and reused when present (delete them to
retrain, printed as they finish: with --trees 30, A + B (0.56 million candidates) took 7
minutes on 2 idle cores, B + C and A + C (1.2-1.3 million; family C's photos hold 3-4 times as
many candidates) 27-28 minutes on cores shared with other work). Prints Markdown tables.
"""
import argparse
import glob
import importlib.util
import os
import subprocess
import sys
import tempfile
import time

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
build = os.path.join(root, "build")
trainer = os.path.join(build, "needlescope-train-classifier")
benchset = os.path.join(build, "benchset")

spec = importlib.util.spec_from_file_location("detection_accuracy", os.path.join(root, "tools", "detection-accuracy.py"))
accuracy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(accuracy)

FAMILIES = ("a", "b", "c")


def set_dir(kind, family):
    return os.path.join(benchset, kind if family == "a" else f"{kind}-{family}")


def train(name, families, trees):
    model = os.path.join(build, "lofo", f"{name}.bin")
    if os.path.exists(model):
        return model
    os.makedirs(os.path.dirname(model), exist_ok=True)
    start = time.time()
    log = open(model + ".log", "w")
    subprocess.run([trainer, *[set_dir("tune", f) for f in families], "--trees", str(trees), "-o", model],
                   check=True, stderr=log)
    print(f"trained {name} on {', '.join(families)} in {(time.time() - start) / 60:.1f} min", file=sys.stderr)
    return model


def score(model, family, tmp):
    test = set_dir("test", family)
    photos = sorted(glob.glob(os.path.join(test, "skin-*.jpg")) + glob.glob(os.path.join(test, "pair-*.jpg")))
    extra = ["--classifier", model] if model else []
    tag = f"{os.path.basename(model) if model else 'shipped'}-{family}"
    return accuracy.with_treated_totals(accuracy.run_eval(test, photos, extra, tmp, tag))


def cell(report):
    t = report["treated"]
    fz = {k: v for k, v in report["groups"]["fitzpatrick"].items() if v["f1"] is not None}
    worst = min(fz, key=lambda k: fz[k]["f1"])
    ci = t["f1_ci95"]
    return (f"{accuracy.fmt(t['f1'])} [{ci[0]:.3f}, {ci[1]:.3f}] / {accuracy.fmt(fz[worst]['f1'])} (type {worst}) / "
            f"{accuracy.fmt(report['groups']['kind']['skin-untreated']['fp_per_mp'], 1)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", type=int, default=60)
    args = parser.parse_args()
    for kind in ("tune", "test"):
        for f in FAMILIES:
            if not glob.glob(os.path.join(set_dir(kind, f), "skin-*.jpg")):
                sys.exit(f"leave-one-family-out: {set_dir(kind, f)} is missing (tools/make-benchset.sh)")
    rows = []  # (classifier, families trained on, {family: report})
    with tempfile.TemporaryDirectory() as tmp:
        rows.append(("shipped (models/)", ["a", "b", "c"], {f: score(None, f, tmp) for f in FAMILIES}))
        for held_out in FAMILIES:
            others = [f for f in FAMILIES if f != held_out]
            model = train(f"without-{held_out}", others, args.trees)
            rows.append((f"without-{held_out}", others, {held_out: score(model, held_out, tmp)}))
    print("cells: F1 of the treated photos [95 % interval over scenes] / worst Fitzpatrick type / "
          "false punctures per MP on untreated skin; default options; *: the family was in training")
    print("| classifier | trained on (tuning sets) | test A | test B | test C |")
    print("| --- | --- | --- | --- | --- |")
    for name, trained_on, reports in rows:
        cells = []
        for f in FAMILIES:
            seen = "*" if f in trained_on else ""
            cells.append(f"{cell(reports[f])}{seen}" if f in reports else "")
        print(f"| {name} | {' + '.join(trained_on)} | " + " | ".join(cells) + " |")
    held_out = [(name[-1], reports[name[-1]]) for name, _, reports in rows if name.startswith("without-")]
    worst = min(held_out, key=lambda fr: fr[1]["treated"]["f1"])
    print(f"\nleave-one-family-out (worst held-out family): {worst[0]}, F1 {accuracy.fmt(worst[1]['treated']['f1'])}")


if __name__ == "__main__":
    main()
