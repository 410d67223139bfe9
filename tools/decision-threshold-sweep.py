#!/usr/bin/python3
"""What the classifier's decision threshold can and cannot buy, on a benchmark set.

usage: tools/decision-threshold-sweep.py [--set build/benchset/test] [--only GLOB]
                                         [--photos NAME,...] [--leave-out NAME,...]

Runs `build/needlescope analyze --write-candidates` once (synthetic camera's calibration, as
tools/detection-accuracy.py runs it), then, for each decision threshold, keeps the candidates
whose classifier score reaches it and scores them with `build/needlescope eval` (so the
matching is eval's own). Prints, per threshold: F1 over the treated photos, the worst
Fitzpatrick type and the worst JPEG quality group, and each photo named by --photos.
Choosing a threshold on the photos it is scored on is an oracle, not a method: the point is
the ceiling, e.g. that no threshold brings one photo to a target. With --leave-out, the
same figures at the shipped threshold (in the model's header) are printed without those
photos too (how much of a figure they decide). --only keeps the treated photos whose names
match a shell pattern (e.g. the dense pairs of train-dark:
--set build/benchset/train-dark --only 'pair-16*').
Needs the set (tools/make-benchset.sh) and a build. Standard library only.
"""
import argparse
import csv
import json
import os
import subprocess
import tempfile

from treated_photos import analyze, binary, root, treated_photos

model = os.path.join(root, "models", "puncture-classifier.bin")


def shipped_threshold():
    """The decision threshold in the model's header (its first line is JSON)."""
    with open(model, "rb") as f:
        return json.loads(f.readline())["threshold"]


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")


def summary(images):
    """F1 over all photos, and the worst Fitzpatrick and JPEG quality groups, from summed counts."""
    def total(rows):
        return f1(sum(r["tp"] for r in rows), sum(r["fp"] for r in rows), sum(r["fn"] for r in rows))

    def worst(key):
        groups = {}
        for r in images:
            groups.setdefault(r[key], []).append(r)
        return min((total(rows), name) for name, rows in groups.items())

    return total(images), worst("fitzpatrick"), worst("jpeg_quality")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", default=os.path.join(root, "build", "benchset", "test"))
    ap.add_argument("--only", default="*", help="shell pattern: the photos to score")
    ap.add_argument("--photos", default="", help="comma-separated photo names to show one by one")
    ap.add_argument("--leave-out", default="", help="comma-separated photo names")
    args = ap.parse_args()
    shown = [n for n in args.photos.split(",") if n]
    left_out = {n for n in args.leave_out.split(",") if n}
    photos = treated_photos(args.set, args.only)
    with tempfile.TemporaryDirectory() as tmp:
        analysed = os.path.join(tmp, "analysed")
        truth_dir = analyze(args.set, photos, analysed, ["--write-candidates"])
        print("| threshold | F1 treated | worst Fitzpatrick type | worst JPEG quality |" +
              "".join(f" {name} |" for name in shown))
        print("| --- | --- | --- | --- |" + " --- |" * len(shown))
        shipped_at = shipped_threshold()
        shipped = None
        for threshold in sorted({0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.55, shipped_at}):
            result_dir = os.path.join(tmp, f"t{threshold}")
            os.mkdir(result_dir)
            for name in photos:
                result = json.load(open(os.path.join(analysed, name + ".json")))
                with open(os.path.join(analysed, name + ".candidates.csv")) as f:
                    result["punctures"] = [
                        {"x": float(c["x"]), "y": float(c["y"]), "radius_px": float(c["radius_px"]),
                         "score": float(c["score"]), "contrast": float(c["contrast"])}
                        for c in csv.DictReader(f) if float(c["score"]) >= threshold]
                json.dump(result, open(os.path.join(result_dir, name + ".json"), "w"))
            report = json.loads(subprocess.run([binary, "eval", "--truth", truth_dir, "--result", result_dir,
                                                "--json", "-", "-q"], check=True, capture_output=True,
                                               text=True).stdout)
            by_name = {r["name"]: r for r in report["images"]}
            overall, (fz_f1, fz), (q_f1, q) = summary(report["images"])
            print(f"| {threshold:g} | {overall:.3f} | {fz_f1:.3f} (type {fz}) | {q_f1:.3f} (quality {q}) |" +
                  "".join(f" {by_name[n]['f1']:.3f} |" for n in shown))
            if threshold == shipped_at:
                shipped = report["images"]
        if left_out and shipped:
            overall, (fz_f1, fz), (q_f1, q) = summary([r for r in shipped if r["name"] not in left_out])
            print(f"\nAt the shipped threshold {shipped_at:g}, without {', '.join(sorted(left_out))}: F1 treated {overall:.3f}, "
                  f"worst type {fz} {fz_f1:.3f}, worst quality {q} {q_f1:.3f}")


if __name__ == "__main__":
    main()
