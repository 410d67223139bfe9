#!/usr/bin/python3
"""Peers on the benchmark photos, scored by the same `needlescope eval` as needlescope.

usage: tools/bench-peers.py --tune DIR --test DIR --json OUT [--quick]

The peers, each on the channel it would naturally be given:
  blob_log, blob_dog  scikit-image (Debian python3-skimage), on inverted greyscale
                      (rgb2gray; both look for bright blobs and punctures are dark);
  SimpleBlobDetector  OpenCV, on greyscale, dark blobs (build/bench/simple_blob_peer).
Each peer's parameters are chosen on the TUNE set only (a subset of its skin photos: every
third treated photo, every third untreated one) by F1 over the treated photos, from the grid
below (a best threshold at the grid's end is followed further); the chosen ones are then run
on every skin photo of the TEST set. needlescope runs on
the same test photos, as tools/detection-accuracy.py runs it (its default forest, the
synthetic camera's calibration). Writes the chosen parameters, F1, false positives per MP on
untreated skin and median times per photo as JSON.

Times: a peer's is its detection call alone (decoding excluded), in one process, one image
after another. needlescope's: the whole `analyze` of the photos in one batch (decode,
detection, redness, uniformity, every output written; the classifier loaded once), per
photo; one `analyze` process per photo (start-up and model loading included); and, like
for like with the peers, its detection stage alone (from `analyze -v`).
Standard library, numpy and scikit-image only.
"""
import argparse
import glob
import itertools
import json
import math
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
from skimage import color, feature, io

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.path.join(root, "build", "needlescope")
simple_blob = os.path.join(root, "build", "bench", "simple_blob_peer")
chromophores = os.path.join(root, "models", "chromophores-synth-camera.json")

# Our task's radius range is 1-4 px; a LoG/DoG blob of radius r has sigma r / sqrt(2)
# (scikit-image's own convention), so every skimage grid point searches sigma 0.7-2.8.
SIGMAS = {"min_sigma": 1 / math.sqrt(2), "max_sigma": 4 / math.sqrt(2)}
GRIDS = {
    "blob_log": [dict(SIGMAS, num_sigma=8, threshold=t, overlap=0.5)
                 for t in (0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.12)],
    "blob_dog": [dict(SIGMAS, sigma_ratio=1.6, threshold=t, overlap=0.5)
                 for t in (0.005, 0.01, 0.015, 0.02, 0.03, 0.05, 0.08)],
    "SimpleBlobDetector": [
        {"min-threshold": 10, "threshold-step": step, "min-area": area, "max-area": 60,
         "min-circularity": circ, "min-repeatability": rep, "min-dist": 3}
        for step, area, circ, rep in itertools.product((5, 10), (2, 4), (0.3, 0.6), (2, 3))],
}
QUICK_GRIDS = {name: grid[:2] for name, grid in GRIDS.items()}


def skin_photos(set_dir):
    photos = sorted(glob.glob(os.path.join(set_dir, "skin-*.jpg")) + glob.glob(os.path.join(set_dir, "pair-*.jpg")))
    if not photos:
        sys.exit(f"bench-peers: no skin photos in {set_dir}")
    return photos


def tuning_subset(photos):
    treated = [p for p in photos if "skin-untreated" not in os.path.basename(p)]
    untreated = [p for p in photos if "skin-untreated" in os.path.basename(p)]
    return treated[::3] + untreated[::3]


def stem(path):
    return os.path.splitext(os.path.basename(path))[0]


def write_points(out_dir, path, points):
    with open(os.path.join(out_dir, stem(path) + ".json"), "w") as f:
        json.dump({"punctures": points}, f)


def skimage_one(job):
    """Runs one scikit-image peer on one photo; returns (points, seconds of the call)."""
    name, params, path = job
    grey = 1.0 - color.rgb2gray(io.imread(path))
    fn = feature.blob_log if name == "blob_log" else feature.blob_dog
    start = time.perf_counter()
    blobs = fn(grey, **params)
    seconds = time.perf_counter() - start
    return [{"x": float(c), "y": float(r), "radius_px": float(s) * math.sqrt(2)} for r, c, s in blobs], seconds


def simple_blob_on(job):
    """Runs build/bench/simple_blob_peer on some photos; returns their detection times, s."""
    params, photos, out_dir = job
    args = [simple_blob, "--out", out_dir]
    for key, value in params.items():
        args += [f"--{key}", str(value)]
    lines = subprocess.run(args + photos, check=True, capture_output=True, text=True).stdout.splitlines()
    return [json.loads(line)["detect_ms"] / 1000 for line in lines]


def run_peer(name, params, photos, out_dir, pool=None):
    """Writes OUT/<stem>.json for every photo; returns the per-photo detection times, s.
    With a pool the photos are shared among processes (tuning); without, one after another."""
    os.makedirs(out_dir, exist_ok=True)
    if name == "SimpleBlobDetector":
        n = os.cpu_count() if pool else 1
        jobs = [(params, photos[i::n], out_dir) for i in range(n) if photos[i::n]]
        return [t for times in (pool.map(simple_blob_on, jobs) if pool else map(simple_blob_on, jobs)) for t in times]
    jobs = [(name, params, p) for p in photos]
    results = pool.map(skimage_one, jobs) if pool else list(map(skimage_one, jobs))
    for path, (points, _) in zip(photos, results):
        write_points(out_dir, path, points)
    return [seconds for _, seconds in results]


def evaluate(truth_dir, result_dir):
    """F1 over treated photos and false positives per MP on untreated skin (eval's groups)."""
    report_path = os.path.join(result_dir, "eval.json")
    # eval reports (and skips) truth files without results: photos outside the subset.
    subprocess.run([binary, "eval", "--truth", truth_dir, "--result", result_dir, "--json", report_path, "-q"],
                   stderr=subprocess.DEVNULL)
    kinds = json.load(open(report_path))["groups"]["kind"]
    tp, fp, fn = (sum(kinds[k][key] for k in kinds if k != "skin-untreated") for key in ("tp", "fp", "fn"))
    untreated = kinds.get("skin-untreated", {}).get("fp_per_mp")
    return {"f1": 2 * tp / max(1, 2 * tp + fp + fn), "precision": tp / max(1, tp + fp),
            "recall": tp / max(1, tp + fn), "untreated_fp_per_mp": untreated}


def tune(name, grid, tune_dir, photos, tmp, pool, extend):
    """The grid point with the best F1 on the tune photos. With `extend`, a best threshold at
    either end of the grid is followed outwards (x or / 1.5) until F1 stops rising, so that a
    peer is never held back by where the grid happened to end."""
    tried = []

    def score(params):
        out = os.path.join(tmp, f"tune-{name}-{len(tried)}")
        run_peer(name, params, photos, out, pool)
        f1 = evaluate(tune_dir, out)["f1"]
        print(f"  tune {name} {params}: F1 {f1:.3f}", file=sys.stderr)
        tried.append((params, f1))
        return f1

    scores = [score(p) for p in grid]
    best = max(range(len(grid)), key=lambda i: scores[i])
    if extend and "threshold" in grid[0]:
        for edge, factor in ((len(grid) - 1, 1.5), (0, 1 / 1.5)):
            if best != edge:
                continue
            params, f1 = grid[edge], scores[edge]
            for _ in range(8):
                params = dict(params, threshold=params["threshold"] * factor)
                next_f1 = score(params)
                if next_f1 <= f1:
                    break
                f1 = next_f1
    params, f1 = max(tried, key=lambda t: t[1])
    return params, f1, len(tried)


def needlescope_on(photos, test_dir, tmp):
    """needlescope's F1 and times on the test photos: one batch run (how an auditor runs it:
    the classifier is loaded once), the same on one thread, and one process per photo (a
    single photo, start-up and model loading included)."""
    common = ["-v", "--chromophores", chromophores]
    out = os.path.join(tmp, "needlescope")
    start = time.perf_counter()
    batch = subprocess.run([binary, "analyze", *photos, "-o", out, *common], check=True, capture_output=True, text=True)
    batch_s = time.perf_counter() - start
    detect = [float(line.split()[1]) / 1000 for line in batch.stderr.splitlines() if line.strip().startswith("detect:")]
    # The same batch on one thread: the like-for-like figure against the peers' one-thread calls.
    start = time.perf_counter()
    subprocess.run([binary, "analyze", *photos, "-o", os.path.join(tmp, "one-thread"), "--threads", "1", *common],
                   check=True, capture_output=True)
    one_thread_s = time.perf_counter() - start
    wall = []
    for path in photos:
        start = time.perf_counter()
        subprocess.run([binary, "analyze", path, "-o", os.path.join(tmp, "single"), *common], check=True,
                       capture_output=True)
        wall.append(time.perf_counter() - start)
    return {"score": evaluate(test_dir, out), "batch_s_per_photo": batch_s / len(photos),
            "one_thread_batch_s_per_photo": one_thread_s / len(photos),
            "median_s_per_photo": statistics.median(wall), "median_detect_s_per_photo": statistics.median(detect)}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tune", required=True)
    ap.add_argument("--test", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("--quick", action="store_true", help="two grid points per peer (smoke runs)")
    args = ap.parse_args()
    grids = QUICK_GRIDS if args.quick else GRIDS
    tune_photos = tuning_subset(skin_photos(args.tune))
    test_photos = skin_photos(args.test)
    report = {"tune_set": args.tune, "tune_photos": len(tune_photos), "test_set": args.test,
              "test_photos": len(test_photos), "peers": {}}
    with tempfile.TemporaryDirectory() as tmp, multiprocessing.Pool(os.cpu_count()) as pool:
        for name, grid in grids.items():
            params, tune_f1, tried = tune(name, grid, args.tune, tune_photos, tmp, pool, extend=not args.quick)
            out = os.path.join(tmp, f"test-{name}")
            times = run_peer(name, params, test_photos, out)  # one process, one photo at a time
            report["peers"][name] = {"params": params, "grid_points": tried, "tune_f1": tune_f1,
                                     "score": evaluate(args.test, out),
                                     "median_detect_s_per_photo": statistics.median(times)}
            print(f"{name}: {report['peers'][name]}", file=sys.stderr)
        report["needlescope"] = needlescope_on(test_photos, args.test, tmp)
    with open(args.json, "w") as f:
        json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
