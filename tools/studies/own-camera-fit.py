#!/usr/bin/python3
"""What `needlescope train` buys a lab whose camera the shipped classifier never saw.

usage: tools/studies/own-camera-fit.py --family c [--photos 8] [--seed 30000]

Plays the lab: renders PHOTOS treated skin photos of renderer family F (seeds SEED+, every
Fitzpatrick type in turn, JPEG quality 70-95 in turn, stamps and scatter alternating, the
benchmark's 1024 x 768), marks in a CSV per photo every puncture an annotator would mark
(the required ones, d' >= 5), runs `needlescope train` on them with the default options,
then scores the family's benchmark TEST set (build/benchset/test-F, seeds 2000+: no seed in
common) with the default options twice: the shipped classifier, and the fitted one
(`--classifier`). Prints one Markdown table: F1 of the treated photos (P, R) with its
bootstrap interval, worst Fitzpatrick type, false punctures per MP on untreated skin.
Needs the build (tools/build.sh) and the set (tools/make-benchset.sh --family F).
"""
import argparse
import csv
import glob
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
binary = os.environ.get("NEEDLESCOPE_BIN", os.path.join(root, "build", "needlescope"))

# Scoring exactly as the headline table does it (tools/detection-accuracy.py).
spec = importlib.util.spec_from_file_location("detection_accuracy", os.path.join(root, "tools", "detection-accuracy.py"))
accuracy = importlib.util.module_from_spec(spec)
spec.loader.exec_module(accuracy)


def render_annotated(family, photos, seed, out):
    """The lab's photos and, beside each, a CSV of its required punctures."""
    images, marks = [], []
    for n in range(photos):
        pattern = "stamps" if n % 2 == 0 else "scatter"
        subprocess.run([binary, "synth", "--family", family, "-o", out, "-q", "--scene", "skin-treated",
                        "--seed", str(seed + n), "--skin-type", str(1 + n % 6),
                        "--quality", str(70 + 5 * (n % 6)), "--pattern", pattern], check=True)
        stem = os.path.join(out, f"skin-treated-{seed + n}")
        truth = json.load(open(stem + ".truth.json"))
        with open(stem + ".csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["x", "y"])
            for p in truth["punctures"]:
                if p["visible"] and not p["faint"]:
                    w.writerow([p["x"], p["y"]])
        images.append(stem + ".jpg")
        marks.append(stem + ".csv")
    return images, marks


def row(name, report):
    t = report["treated"]
    fz = {k: v for k, v in report["groups"]["fitzpatrick"].items() if v["f1"] is not None}
    worst = min(fz, key=lambda k: fz[k]["f1"])
    ci = t["f1_ci95"]
    return (f"| {name} | {accuracy.fmt(t['f1'])} ({accuracy.fmt(t['precision'])}, {accuracy.fmt(t['recall'])}) "
            f"[{ci[0]:.3f}, {ci[1]:.3f}] | {accuracy.fmt(fz[worst]['f1'])} (type {worst}) | "
            f"{accuracy.fmt(report['groups']['kind']['skin-untreated']['fp_per_mp'], 1)} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--family", required=True, choices=["a", "b", "c"])
    parser.add_argument("--photos", type=int, default=8)
    parser.add_argument("--seed", type=int, default=30000)
    args = parser.parse_args()
    test_set = os.path.join(root, "build", "benchset", "test" if args.family == "a" else f"test-{args.family}")
    test = sorted(glob.glob(os.path.join(test_set, "skin-*.jpg")) + glob.glob(os.path.join(test_set, "pair-*.jpg")))
    if not test:
        sys.exit(f"own-camera-fit: no skin photos in {test_set}; run tools/make-benchset.sh --family {args.family}")
    with tempfile.TemporaryDirectory() as tmp:
        images, marks = render_annotated(args.family, args.photos, args.seed, os.path.join(tmp, "lab"))
        model = os.path.join(tmp, "own.bin")
        summary = json.loads(subprocess.run([binary, "train", *images, "--points", *marks, "-o", model, "-q",
                                             "--json", "-"], check=True, capture_output=True, text=True).stdout)
        shipped = accuracy.with_treated_totals(accuracy.run_eval(test_set, test, [], tmp, "shipped"))
        fitted = accuracy.with_treated_totals(accuracy.run_eval(test_set, test, ["--classifier", model], tmp, "fitted"))
    marked = sum(p["marks"] for p in summary["photos"])
    on_marks = sum(p["candidates_on_marks"] for p in summary["photos"])
    # A mark without a candidate on it is a puncture no classifier can accept: the fitted
    # model's recall cannot pass this share.
    print(f"family {args.family}: {args.photos} annotated photos (seeds {args.seed}+, {marked} marks, "
          f"{on_marks / marked:.3f} of them with a candidate), "
          f"threshold {summary['threshold']}, out-of-fold F1 {summary['out_of_fold_f1']:.3f}; "
          f"scored on {test_set} ({len(test)} skin photos), default options")
    print("| classifier | F1 treated (P, R) [95 % interval] | worst Fitzpatrick type | untreated skin FP per MP |")
    print("| --- | --- | --- | --- |")
    print(row("shipped (family A only)", shipped))
    print(row(f"fitted by `needlescope train` to {args.photos} photos of family {args.family}", fitted))


if __name__ == "__main__":
    main()
