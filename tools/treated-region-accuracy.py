#!/usr/bin/python3
"""How often `analyze` finds the treated region, and how well: IoU of its outline with the
truth's polygon (issue "Measurements that hold on photos we did not make": found on >= 95 %
of treated photos, IoU >= 0.8).

usage: tools/treated-region-accuracy.py [--set build/benchset/test ...] [--result DIR]
                                       [--analyze-arg=--region-min-score=0.3 ...]

For each set, runs `build/needlescope analyze` with the default options on its treated
photos (skin-treated-*, pair-*), or reads the results already in --result, and compares
the analysis's treated-region outline (`uniformity.window` with window_source "estimated
treated region outline") with `treated_region.polygon` of the truth, both rasterised at
full size. Prints per set: found, IoU median and 10th percentile, IoU >= 0.8, by
Fitzpatrick type; and on the set's untreated photos how many were given a treated region
(none is right). --analyze-arg passes an option to analyze. Needs numpy and scikit-image (Debian python3-numpy, python3-skimage).
"""
import argparse
import glob
import json
import os
import subprocess
import tempfile

import numpy as np
from skimage.draw import polygon as fill_polygon

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.environ.get("NEEDLESCOPE_BIN", os.path.join(root, "build", "needlescope"))


def mask_of(vertices, shape):
    m = np.zeros(shape, bool)
    v = np.asarray(vertices, float)
    rr, cc = fill_polygon(v[:, 1], v[:, 0], shape)
    m[rr, cc] = True
    return m


def score_set(set_dir, result_dir):
    rows = []
    for truth_file in sorted(glob.glob(os.path.join(set_dir, "*.truth.json"))):
        truth = json.load(open(truth_file))
        if not truth.get("treated_region"):
            continue
        name = truth["scene"]["name"]
        result = os.path.join(result_dir, name + ".json")
        if not os.path.exists(result):
            continue
        doc = json.load(open(result))
        shape = (truth["scene"]["height"], truth["scene"]["width"])
        window = doc.get("uniformity", {}).get("window")
        found = doc["redness"].get("treated_region_found", False) and window and window.get("type") == "polygon"
        iou = 0.0
        if found:
            a = mask_of(window["vertices"], shape)
            b = mask_of(truth["treated_region"]["polygon"], shape)
            iou = (a & b).sum() / max(1, (a | b).sum())
        rows.append((name, truth["scene"]["fitzpatrick"], bool(found), iou))
    return rows


def report(label, rows):
    if not rows:
        print(f"{label}: no treated photos scored")
        return
    found = [r for r in rows if r[2]]
    ious = np.array([r[3] for r in rows])
    print(f"{label}: found {len(found)} of {len(rows)} ({100 * len(found) / len(rows):.0f} %); "
          f"IoU median {np.median(ious):.3f}, 10th percentile {np.percentile(ious, 10):.3f}, "
          f">= 0.8 on {np.sum(ious >= 0.8)} of {len(rows)} (not found counts as 0)")
    for fz in sorted({r[1] for r in rows}):
        sub = [r for r in rows if r[1] == fz]
        i = np.array([r[3] for r in sub])
        print(f"  type {fz}: found {sum(r[2] for r in sub)} of {len(sub)}, IoU median {np.median(i):.3f}, "
              f">= 0.8 on {np.sum(i >= 0.8)}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", action="append", default=None)
    ap.add_argument("--result", help="analysis results already made (one set only)")
    ap.add_argument("--analyze-arg", action="append", default=[], help="passed to analyze")
    args = ap.parse_args()
    sets = args.set or [os.path.join(root, "build", "benchset", "test")]
    for set_dir in sets:
        if args.result:
            report(set_dir, score_set(set_dir, args.result))
            continue
        with tempfile.TemporaryDirectory() as tmp:
            photos = sorted(glob.glob(os.path.join(set_dir, "skin-treated-*.jpg")) +
                            glob.glob(os.path.join(set_dir, "pair-*.jpg")))
            untreated = sorted(glob.glob(os.path.join(set_dir, "skin-untreated-*.jpg")))
            subprocess.run([binary, "analyze", *photos, *untreated, "-o", tmp, "-q", "--pictures", "none",
                            *args.analyze_arg], check=False)
            report(set_dir, score_set(set_dir, tmp))
            false_regions = sum(json.load(open(os.path.join(tmp, os.path.basename(u)[:-4] + ".json")))["redness"]
                                .get("treated_region_found", False) for u in untreated)
            print(f"  untreated photos given a treated region: {false_regions} of {len(untreated)}")


if __name__ == "__main__":
    main()
