#!/usr/bin/python3
"""Detection figures under other rules for which punctures count as "visible" (required).

usage: tools/visibility-rules.py [--set build/benchset/test] [--snr 20]

The synthetic truth calls a puncture required when its peak added absorber, times the share
of contrast glare leaves, is at least 0.32 OD before the lens blurs it - the same on every
skin and whatever its neighbours (docs/synthetic-scenes.md). That rule is the ruler's, and
it is not changed here. This tool shows what the detection figures would be under two
others, for whoever decides it (docs/detection.md, "What is left"):
  - "after the lens": the same 0.32 OD, on the peak the camera receives, amplitude x glare
    x r^2/2 / (r^2/2 + b^2) for a spot exp(-d^2/r^2) and lens blur sigma b (the truth's
    camera.blur_sigma_px) - a 1 px spot keeps about half its peak;
  - "SNR >= N": required as now, and its matched-filter signal-to-noise ratio in the photo
    at least N (as tools/recall-by-snr.py computes it: green optical density, against the
    photo's own high-pass spread near it) - a rule that depends on the photo's noise, so on
    the skin's darkness, but not on the detector.
Detections come from `build/needlescope analyze` (synthetic camera's calibration, as
tools/detection-accuracy.py runs it) and the matching is `needlescope eval`'s (--matches):
a point that a rule makes optional counts neither way, as the faint ones do now (the
matching itself is eval's under the shipped rule; it prefers required points, so under a
rule with fewer of them it can only be as good or slightly better). Needs numpy, scipy and
skimage (for the SNR), the set (tools/make-benchset.sh) and a build. About 6 minutes.
"""
import argparse
import csv
import importlib.util
import os
import subprocess
import tempfile

import numpy as np
from skimage import io

from treated_photos import analyze, binary, root, treated_photos

FAINT_OD = 0.32  # the shipped rule's threshold (src/needlescope/synth/scenes.cc, kFaintAmplitude)

spec = importlib.util.spec_from_file_location("recall_by_snr", os.path.join(root, "tools", "recall-by-snr.py"))
recall_by_snr = importlib.util.module_from_spec(spec)
spec.loader.exec_module(recall_by_snr)


def after_lens_peak(truth):
    blur = truth["camera"]["blur_sigma_px"]
    return np.array([p["amplitude"] * p.get("glare", 1.0) * (p["radius_px"] ** 2 / 2) /
                     (p["radius_px"] ** 2 / 2 + blur ** 2) for p in truth["punctures"]])


def f1(tp, fp, fn):
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", default=os.path.join(root, "build", "benchset", "test"))
    ap.add_argument("--snr", type=float, default=20.0)
    args = ap.parse_args()
    photos = treated_photos(args.set)
    with tempfile.TemporaryDirectory() as out:
        truth_dir = analyze(args.set, photos, out)
        matches = os.path.join(out, "matches.csv")
        subprocess.run([binary, "eval", "--truth", truth_dir, "--result", out, "--matches", matches, "-q"],
                       check=True, stdout=subprocess.DEVNULL)
        rows = list(csv.DictReader(open(matches)))

    rules = {"shipped (before the lens)": {}, "after the lens": {}, f"SNR >= {args.snr:g}": {}}
    for name, truth in photos.items():
        shipped = np.array([p["visible"] and not p["faint"] for p in truth["punctures"]])
        rules["shipped (before the lens)"][name] = shipped
        rules["after the lens"][name] = np.array([p["visible"] for p in truth["punctures"]]) & \
            (after_lens_peak(truth) >= FAINT_OD)
        image = io.imread(os.path.join(args.set, truth["scene"]["image"]))
        rules[f"SNR >= {args.snr:g}"][name] = shipped & (recall_by_snr.photo_snr(image, truth) >= args.snr)

    print("| rule | required punctures | F1 treated | worst Fitzpatrick type | Fitzpatrick VI | "
          "worst JPEG quality |")
    print("| --- | --- | --- | --- | --- | --- |")
    for rule, required in rules.items():
        counts = {}  # photo -> [tp, fp, fn]
        for r in rows:
            c = counts.setdefault(r["name"], [0, 0, 0])
            if r["truth"] == "-1":
                c[1] += 1
            elif required[r["name"]][int(r["truth"])]:
                c[0 if r["detection"] != "-1" else 2] += 1

        def group(key):
            sums = {}
            for name, c in counts.items():
                s = sums.setdefault(photos[name]["scene"][key] if key != "q" else photos[name]["camera"]["jpeg_quality"],
                                    [0, 0, 0])
                for i in range(3):
                    s[i] += c[i]
            return {k: f1(*v) for k, v in sums.items()}

        types, qualities = group("fitzpatrick"), group("q")
        total = [sum(c[i] for c in counts.values()) for i in range(3)]
        worst_type = min(types, key=types.get)
        worst_q = min(qualities, key=qualities.get)
        print(f"| {rule} | {sum(int(v.sum()) for v in required.values())} | {f1(*total):.3f} | "
              f"{types[worst_type]:.3f} (type {worst_type}) | {types.get(6, float('nan')):.3f} | "
              f"{qualities[worst_q]:.3f} (quality {worst_q}) |")


if __name__ == "__main__":
    main()
