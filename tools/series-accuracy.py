#!/usr/bin/python3
"""`needlescope series` against a known recovery curve, on synthetic photos.

usage: tools/series-accuracy.py [--series N] [--seed S] [--half-life DAYS] [--roi truth|auto|whole]
                               [--vectors calibrated|literature]

For each seed S..S+N-1 (every skin type in turn) renders one BEFORE photo and AFTER photos of
the same skin at days 2, 5, 10 and 20 (`needlescope synth --scene pair --healing h`: the same
seed gives the same BEFORE and the same camera move; only the healing differs), with the
truth's healing fraction following h(t) = 1 - exp(-ln2 t / half-life), so that the excess
redness decays as exp(-ln2 t / half-life). Runs `needlescope series` on the five photos with
--times (and, with --roi truth, BEFORE's true treated polygon; with --roi whole, the whole
frame: a close-up with no untreated skin, fitted on the redness lost since the first photo)
and the synthetic camera's calibration (--vectors calibrated, the default) or the
literature vectors, and prints the fitted half-life against the true one, and the fit's
R^2. Standard library only.
"""
import argparse
import json
import math
import os
import statistics
import subprocess
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.path.join(root, "build", "needlescope")
calibration = os.path.join(root, "models", "chromophores-synth-camera.json")
DAYS = [2, 5, 10, 20]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--series", type=int, default=6)
    ap.add_argument("--seed", type=int, default=7000)
    ap.add_argument("--half-life", type=float, default=5.0)
    ap.add_argument("--roi", default="truth", choices=["truth", "auto", "whole"])
    ap.add_argument("--vectors", default="calibrated", choices=["calibrated", "literature"])
    args = ap.parse_args()
    k = math.log(2) / args.half_life
    print("| seed | skin type | fitted half-life, days | true | error | R² |")
    print("| --- | --- | --- | --- | --- | --- |")
    errors = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(args.series):
            seed, skin = args.seed + i, i % 6 + 1
            photos = []
            for t in DAYS:
                d = os.path.join(tmp, f"{seed}-day{t}")
                subprocess.run([binary, "synth", "-o", d, "-q", "--scene", "pair", "--seed", str(seed),
                                "--skin-type", str(skin), "--healing", f"{1 - math.exp(-k * t):.6f}"], check=True)
                photos.append(os.path.join(d, f"pair-{seed}-after.jpg"))
            before = os.path.join(tmp, f"{seed}-day{DAYS[0]}", f"pair-{seed}-before")
            extra = []
            if args.roi == "truth":
                polygon = json.load(open(before + ".truth.json"))["treated_region"]["polygon"]
                with open(before + ".roi.csv", "w") as f:
                    f.write("x,y\n" + "".join(f"{x},{y}\n" for x, y in polygon))
                extra = ["--roi", before + ".roi.csv"]
            elif args.roi == "whole":
                size = json.load(open(before + ".truth.json"))["scene"]
                w, h = size["width"], size["height"]
                with open(before + ".roi.csv", "w") as f:
                    f.write(f"x,y\n-0.5,-0.5\n{w - 0.5},-0.5\n{w - 0.5},{h - 0.5}\n-0.5,{h - 0.5}\n")
                extra = ["--roi", before + ".roi.csv"]
            if args.vectors == "calibrated":
                extra += ["--chromophores", calibration]
            out = os.path.join(tmp, f"{seed}-series")
            r = subprocess.run([binary, "series", before + ".jpg", *photos, "-o", out, "-q",
                                "--times", ",".join(str(t) for t in [0] + DAYS), *extra],
                               capture_output=True, text=True)
            if r.returncode != 0:
                print(f"| {seed} | {skin} | – | {args.half_life:g} | refused: {r.stderr.strip()} | – |")
                errors.append(None)
                continue
            fit = json.load(open(os.path.join(out, "series.json")))["recovery_fit"] or {}
            h = fit.get("half_life_days")
            err = None if h is None else h / args.half_life - 1
            errors.append(err)
            f = lambda v, fmt: "–" if v is None else format(v, fmt)
            print(f"| {seed} | {skin} | {f(h, '.2f')} | {args.half_life:g} | {f(err, '+.1%')} | {f(fit.get('r_squared'), '.3f')} |")
    ok = [e for e in errors if e is not None]
    within = sum(1 for e in ok if abs(e) <= 0.2)
    print(f"\nhalf-life within ±20 % of the truth: {within} of {len(errors)}; "
          f"median |error| {statistics.median(abs(e) for e in ok):.1%}" if ok else "\nno fit")


if __name__ == "__main__":
    main()
