#!/usr/bin/python3
"""Would holding each photo's false alarms on its own untreated skin to a rate help?

usage: tools/studies/untreated-skin-false-alarms.py [--classifier MODEL] [--rates 20,5,1]

Issue 24 item 2 proposes a per-photo decision: raise the classifier's threshold on each
photo until the punctures it accepts on that photo's own untreated skin are at most R per
MP, so that the false-alarm rate holds whatever the camera. This asks the best case first:
the untreated skin is taken from the TRUTH (outside the true treated polygon grown by 15
px; what the analysis would estimate can only be worse), on the treated photos (treated
skin and pairs) of the test sets of families A, B and C (seeds 2000+; build/benchset/test,
test-b, test-c), analysed with the default options (`--write-candidates`). For each rate R
the threshold of each photo is max(the model's, just above the (k+1)-th highest score
among the accepted candidates on its untreated skin, k = R x that skin's MP), when that
skin covers at least 0.05 MP. Scored with `needlescope eval`; prints a Markdown table of F1
(precision, recall) and Fitzpatrick VI's F1.
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import tempfile

import numpy as np
from scipy.ndimage import binary_dilation
from skimage.draw import polygon

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
exe = os.path.join(root, "build", "needlescope")
SETS = {"A": "test", "B": "test-b", "C": "test-c"}


def untreated_skin(truth):
    h, w = truth["scene"]["height"], truth["scene"]["width"]
    treated = np.zeros((h, w), bool)
    if truth["treated_region"]:
        p = np.array(truth["treated_region"]["polygon"])
        rr, cc = polygon(p[:, 1], p[:, 0], (h, w))
        treated[rr, cc] = True
    return ~binary_dilation(treated, iterations=15)


def photo_threshold(xs, ys, scores, skin, base, rate):
    mp = skin.sum() / 1e6
    if rate is None or mp < 0.05:
        return base
    h, w = skin.shape
    on_skin = skin[np.clip(np.round(ys).astype(int), 0, h - 1), np.clip(np.round(xs).astype(int), 0, w - 1)]
    accepted = np.sort(scores[on_skin & (scores >= base)])[::-1]
    k = int(rate * mp)
    return max(base, accepted[k] + 1e-9) if len(accepted) > k else base


def score(test, results):
    # eval exits 2 for the untreated photos and substrates, which have no result here; its
    # rows of the treated photos are what is read.
    subprocess.run([exe, "eval", "--truth", test, "--result", results, "--csv", results + ".csv", "-q"],
                   stderr=subprocess.DEVNULL)
    rows = list(csv.DictReader(open(results + ".csv")))
    total = [r for r in rows if r["name"] == "TOTAL"][0]
    vi = [r for r in rows if r["fitzpatrick"] == "6"]
    tp, fp, fn = (sum(int(r[k]) for r in vi) for k in ("tp", "fp", "fn"))
    return (f"{float(total['f1']):.3f} ({float(total['precision']):.3f}, {float(total['recall']):.3f}) / "
            f"{2 * tp / (2 * tp + fp + fn):.3f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--classifier", default="default")
    parser.add_argument("--rates", default="20,5,1")
    args = parser.parse_args()
    rates = [None] + [float(r) for r in args.rates.split(",")]
    table = {}
    with tempfile.TemporaryDirectory() as tmp:
        for family, name in SETS.items():
            test = os.path.join(root, "build", "benchset", name)
            photos = sorted(glob.glob(os.path.join(test, "skin-treated-*.jpg")) + glob.glob(os.path.join(test, "pair-*.jpg")))
            analysed = os.path.join(tmp, family)
            subprocess.run([exe, "analyze", *photos, "-o", analysed, "--write-candidates", "--pictures", "none", "-q",
                            "--classifier", args.classifier], check=True)
            for rate in rates:
                results = os.path.join(tmp, f"{family}-{rate}")
                os.makedirs(results)
                for photo in photos:
                    stem = os.path.basename(photo)[:-4]
                    truth = json.load(open(os.path.join(test, stem + ".truth.json")))
                    base = json.load(open(os.path.join(analysed, stem + ".json")))["detection"]["classifier_threshold"]
                    rows = list(csv.DictReader(open(os.path.join(analysed, stem + ".candidates.csv"))))
                    xs, ys, scores = (np.array([float(r[k]) for r in rows]) for k in ("x", "y", "score"))
                    t = photo_threshold(xs, ys, scores, untreated_skin(truth), base, rate)
                    keep = scores >= t
                    json.dump({"punctures": [{"x": x, "y": y} for x, y in zip(xs[keep], ys[keep])]},
                              open(os.path.join(results, stem + ".json"), "w"))
                table[(family, rate)] = score(test, results)
    print("cells: F1 (precision, recall) of the treated photos / F1 of Fitzpatrick VI")
    print("| false alarms allowed on the photo's untreated skin | " + " | ".join(f"test {f}" for f in SETS) + " |")
    print("| --- |" + " --- |" * len(SETS))
    for rate in rates:
        label = "no limit (the model's threshold)" if rate is None else f"<= {rate:g} per MP"
        print(f"| {label} | " + " | ".join(table[(f, rate)] for f in SETS) + " |")


if __name__ == "__main__":
    main()
