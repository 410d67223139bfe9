#!/usr/bin/python3
"""Before/after accuracy on synthetic pairs: registration, redness resolution, persistence.

usage: tools/compare-accuracy.py [--pairs N] [--seed S] [--roi truth|auto]

Renders N synthetic before/after pairs (`needlescope synth --scene pair`, seeds S..S+N-1,
every skin type in turn; rotation up to 8 degrees, scale 0.9-1.1, shift up to 5 %, lighting
changed), runs `needlescope compare` on each with the synthetic camera's calibration (and,
with --roi truth, the default, BEFORE's true treated polygon as --roi, so that a missed
region estimate does not hide the registration), and prints per pair and in total:
  - registration error: RMS distance, over BEFORE's true punctures that land in AFTER,
    between the estimated and the true homography's mapping (target <= 1 px in >= 95 %);
  - |redness resolution - truth healing fraction| (target <= 0.10);
  - |puncture persistence - truth persistence| (target <= 0.10).
A pair the tool refuses counts as a failure for all three. Standard library only.
"""
import argparse
import json
import math
import os
import subprocess
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.path.join(root, "build", "needlescope")
calibration = os.path.join(root, "models", "chromophores-synth-camera.json")


def apply(h, x, y):
    w = h[2][0] * x + h[2][1] * y + h[2][2]
    return (h[0][0] * x + h[0][1] * y + h[0][2]) / w, (h[1][0] * x + h[1][1] * y + h[1][2]) / w


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=20)
    ap.add_argument("--seed", type=int, default=5000)
    ap.add_argument("--roi", default="truth", choices=["truth", "auto"])
    args = ap.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(args.pairs):
            seed = args.seed + k
            subprocess.run([binary, "synth", "-o", tmp, "-q", "--scene", "pair", "--seed", str(seed),
                            "--skin-type", str(k % 6 + 1)], check=True)
            before = os.path.join(tmp, f"pair-{seed}-before")
            after = os.path.join(tmp, f"pair-{seed}-after")
            truth_b = json.load(open(before + ".truth.json"))
            truth = truth_b["pair"]
            extra = []
            if args.roi == "truth":
                with open(before + ".roi.csv", "w") as f:
                    f.write("x,y\n" + "".join(f"{x},{y}\n" for x, y in truth_b["treated_region"]["polygon"]))
                extra = ["--roi", before + ".roi.csv"]
            r = subprocess.run([binary, "compare", before + ".jpg", after + ".jpg", "-o", tmp, "-q",
                                "--chromophores", calibration, "--json", "-", *extra], capture_output=True, text=True)
            if r.returncode != 0:
                rows.append((seed, None, None, None, r.stderr.strip()))
                continue
            doc = json.loads(r.stdout)
            h_true, h_est = truth["homography_before_to_after"], doc["registration"]["homography"]
            w, hgt = truth_b["scene"]["width"], truth_b["scene"]["height"]
            errors = []
            for p in truth_b["punctures"]:
                tx, ty = apply(h_true, p["x"], p["y"])
                if 0 <= tx <= w - 1 and 0 <= ty <= hgt - 1:
                    ex, ey = apply(h_est, p["x"], p["y"])
                    errors.append((tx - ex) ** 2 + (ty - ey) ** 2)
            rmse = math.sqrt(sum(errors) / len(errors))
            healing = doc["healing"]
            d_res = abs(healing["redness_resolution"] - truth["healing_fraction"])
            pers = healing["puncture_persistence"]
            d_pers = abs(pers - truth["puncture_persistence"]) if pers is not None else None
            rows.append((seed, rmse, d_res, d_pers, ""))
    print("| seed | registration RMS error, px | abs. error of redness resolution | abs. error of persistence | note |")
    print("| --- | --- | --- | --- | --- |")
    for seed, rmse, d_res, d_pers, note in rows:
        f = lambda v: "–" if v is None else f"{v:.3f}"
        print(f"| {seed} | {f(rmse)} | {f(d_res)} | {f(d_pers)} | {note} |")
    n = len(rows)
    ok = lambda i, limit: sum(1 for r in rows if r[i] is not None and r[i] <= limit)
    print(f"\nregistration <= 1 px: {ok(1, 1.0)} of {n}; redness resolution within 0.10: {ok(2, 0.10)} of {n}; "
          f"persistence within 0.10: {ok(3, 0.10)} of {n}")


if __name__ == "__main__":
    main()
