#!/usr/bin/python3
"""Would features in units of the photo itself transfer better across renderer families?

usage: tools/studies/photo-relative-features.py [--trees 60] [--depth 10]
                                               [--features absolute relative both]

Issue 24, item 2 asks for decisions relative to each photo. Before changing the shipped
features (which means a new model), this study asks whether it would help, with a stand-in
for the classifier: one stage (no context), scikit-learn's random forest with OpenCV's
settings (60 trees, depth <= 10, >= 10 samples to split, sqrt of the features per split).

Candidates: `needlescope analyze --write-candidates` with the default options (literature
vectors, as a new user runs it) on the skin photos of the tuning sets (seeds 1000+) and
test sets (seeds 2000+) of families A, B, C (tools/make-benchset.sh, `--family b|c`,
`--family b|c --tune`). Labels: each candidate matched to a truth puncture within
max(3 px, 1.5 radius), nearest pairs first (greedy: the evaluator's optimal matching
differs in rare crowded cases); matched to a required puncture (d' >= 5) = 1, to a faint or
hidden one = left out, unmatched = 0.

Two feature sets:
  absolute - the shipped classifier's 15 features as they are;
  relative - the scale-free ones kept (radius, the response ratios, roundness, contrast_z,
             hemoglobin_share), and every feature in absolute OD re-expressed against the
             photo's own candidates (nearly all of which are clutter at the low candidate
             threshold): response and contrast over the photo's median, the colour
             differences (delta_hemoglobin, delta_melanin, delta_shading, stain_contrast) as
             z-scores against the photo's median and 1.4826 MAD, the ring's OD minus the
             photo's median ring OD;
  both     - the two sets side by side.
Training on the tuning sets of some families, the decision threshold by the best F1 of
out-of-fold scores (photos alternate between two folds, as tools/train-classifier does),
scoring the TEST set of every family at that threshold: P, R and F1 over the treated
photos (recall counts the required punctures without a candidate as missed) and false
candidates accepted per MP on untreated skin. Prints Markdown tables. Needs Debian's
python3-sklearn and python3-scipy (not installed by tools/setup-deps.sh: no test uses them).
"""
import argparse
import csv
import glob
import json
import os
import subprocess
import sys

import numpy as np
from scipy.spatial import cKDTree
from sklearn.ensemble import RandomForestClassifier

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
binary = os.environ.get("NEEDLESCOPE_BIN", os.path.join(root, "build", "needlescope"))
benchset = os.path.join(root, "build", "benchset")
cache = os.path.join(root, "build", "studies", "photo-relative-features")

ABSOLUTE = ["radius_px", "response", "response_fine_ratio", "response_coarse_ratio", "roundness", "contrast",
            "contrast_z", "delta_hemoglobin", "delta_melanin", "delta_shading", "hemoglobin_share", "ring_od_r",
            "ring_od_g", "ring_od_b", "stain_contrast"]
SCALE_FREE = ["radius_px", "response_fine_ratio", "response_coarse_ratio", "roundness", "contrast_z",
              "hemoglobin_share"]
RATIO = ["response", "contrast"]
ZSCORE = ["delta_hemoglobin", "delta_melanin", "delta_shading", "stain_contrast"]
OFFSET = ["ring_od_r", "ring_od_g", "ring_od_b"]


def set_dir(kind, family):
    return os.path.join(benchset, kind if family == "a" else f"{kind}-{family}")


def candidates_of(kind, family):
    """{photo stem: (truth, candidate rows)} of a set's skin photos, analysing once."""
    src = set_dir(kind, family)
    out = os.path.join(cache, f"{kind}-{family}")
    photos = sorted(glob.glob(os.path.join(src, "skin-*.jpg")) + glob.glob(os.path.join(src, "pair-*.jpg")))
    if not photos:
        sys.exit(f"photo-relative-features: no skin photos in {src} (tools/make-benchset.sh)")
    stems = [os.path.splitext(os.path.basename(p))[0] for p in photos]
    if not all(os.path.exists(os.path.join(out, s + ".candidates.csv")) for s in stems):
        subprocess.run([binary, "analyze", *photos, "-o", out, "-q", "--pictures", "none", "--write-candidates"],
                       check=True)
    result = {}
    for s in stems:
        truth = json.load(open(os.path.join(src, s + ".truth.json")))
        rows = list(csv.DictReader(open(os.path.join(out, s + ".candidates.csv"))))
        result[s] = (truth, rows)
    return result


def labels_of(truth, rows):
    points = truth["punctures"]
    pairs = []
    if rows and points:
        xy = np.array([[float(c["x"]), float(c["y"])] for c in rows])
        tree = cKDTree(xy)
        for i, p in enumerate(points):
            reach = max(3.0, 1.5 * p["radius_px"])
            for j in tree.query_ball_point([p["x"], p["y"]], reach):
                pairs.append((float(np.hypot(xy[j, 0] - p["x"], xy[j, 1] - p["y"])), i, j))
    labels = np.zeros(len(rows), dtype=int)
    used_t, used_c = set(), set()
    for d, i, j in sorted(pairs):
        if i in used_t or j in used_c:
            continue
        used_t.add(i)
        used_c.add(j)
        labels[j] = 1 if (points[i]["visible"] and not points[i]["faint"]) else -1
    required = sum(1 for p in points if p["visible"] and not p["faint"])
    return labels, required


def features(rows, kind):
    a = {name: np.array([float(r[name]) for r in rows]) for name in ABSOLUTE}
    if kind == "absolute":
        return np.stack([a[n] for n in ABSOLUTE], axis=1)
    if kind == "both":
        return np.concatenate([features(rows, "absolute"), features(rows, "relative")], axis=1)
    cols = [a[n] for n in SCALE_FREE]
    for n in RATIO:
        cols.append(a[n] / max(1e-6, float(np.median(np.abs(a[n])))))
    for n in ZSCORE:
        med = float(np.median(a[n]))
        mad = 1.4826 * float(np.median(np.abs(a[n] - med)))
        cols.append((a[n] - med) / max(1e-6, mad))
    for n in OFFSET:
        cols.append(a[n] - float(np.median(a[n])))
    return np.stack(cols, axis=1)


class Photo:
    def __init__(self, truth, rows, kind):
        self.treated = truth["scene"]["kind"] != "skin-untreated"
        self.megapixels = truth["scene"]["width"] * truth["scene"]["height"] / 1e6
        self.labels, self.required = labels_of(truth, rows)
        self.x = features(rows, kind) if rows else np.zeros((0, 30 if kind == "both" else 15))


def load(kind_of_set, family, feature_kind, memo={}):
    key = (kind_of_set, family, feature_kind)
    if key not in memo:
        memo[key] = [Photo(t, r, feature_kind) for t, r in candidates_of(kind_of_set, family).values()]
    return memo[key]


def forest(photos, args):
    x = np.concatenate([p.x[p.labels >= 0] for p in photos])
    y = np.concatenate([p.labels[p.labels >= 0] for p in photos])
    model = RandomForestClassifier(n_estimators=args.trees, max_depth=args.depth, min_samples_split=10,
                                   max_features="sqrt", n_jobs=2, random_state=20261207)
    return model.fit(x, y)


def scores(model, photos):
    return [model.predict_proba(p.x)[:, 1] if len(p.x) else np.zeros(0) for p in photos]


def report(photos, photo_scores, threshold):
    tp = fp = fn = 0
    untreated_fp = untreated_mp = 0.0
    for p, s in zip(photos, photo_scores):
        accepted = s >= threshold
        if p.treated:
            t = int(np.sum(accepted & (p.labels == 1)))
            tp += t
            fp += int(np.sum(accepted & (p.labels == 0)))
            fn += p.required - t
        else:
            untreated_fp += float(np.sum(accepted & (p.labels == 0)))
            untreated_mp += p.megapixels
    return {"p": tp / max(1, tp + fp), "r": tp / max(1, tp + fn), "f1": 2 * tp / max(1, 2 * tp + fp + fn),
            "fp_per_mp": untreated_fp / max(1e-9, untreated_mp)}


def out_of_fold_threshold(photos, args):
    folds = [photos[0::2], photos[1::2]]
    models = [forest(folds[1], args), forest(folds[0], args)]  # each fold scored by the other
    fold_scores = [scores(models[k], folds[k]) for k in (0, 1)]
    ordered = folds[0] + folds[1]
    ordered_scores = fold_scores[0] + fold_scores[1]
    best = max(np.arange(0.05, 0.951, 0.01), key=lambda t: report(ordered, ordered_scores, t)["f1"])
    return float(best)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trees", type=int, default=60)
    parser.add_argument("--depth", type=int, default=10)
    parser.add_argument("--features", nargs="+", default=["absolute", "relative", "both"],
                        choices=["absolute", "relative", "both"])
    args = parser.parse_args()
    families = ("a", "b", "c")
    trainings = [("a",), ("b", "c"), ("a", "c"), ("a", "b")]
    print("cells: F1 (P, R) / false candidates accepted per MP on untreated skin; *: a family trained on")
    for feature_kind in args.features:
        print(f"\n{feature_kind} features\n")
        print("| trained on (tuning sets) | threshold | test A | test B | test C |")
        print("| --- | --- | --- | --- | --- |")
        for trained_on in trainings:
            train = [p for f in trained_on for p in load("tune", f, feature_kind)]
            threshold = out_of_fold_threshold(train, args)
            model = forest(train, args)
            cells = []
            for f in families:
                test = load("test", f, feature_kind)
                r = report(test, scores(model, test), threshold)
                cells.append(f"{r['f1']:.3f} ({r['p']:.3f}, {r['r']:.3f}) / {r['fp_per_mp']:.1f}"
                             f"{'*' if f in trained_on else ''}")
            print(f"| {' + '.join(trained_on)} | {threshold:.2f} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
