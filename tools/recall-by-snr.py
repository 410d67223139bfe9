#!/usr/bin/python3
"""Detection recall against how strongly each puncture shows in the photo, per skin type.

usage: tools/recall-by-snr.py [--set build/benchset/test]

Asks whether the detector misses punctures on dark skin because they are on dark skin, or
because they show less in the photo. For every required puncture (as `needlescope eval`
judges it: visible, not faint) of the set's treated skin photos it estimates a
matched-filter signal-to-noise ratio from the truth and the photo (treated skin and pair
photos; substrates are stained, not bleeding):
  - signal: the puncture's hemoglobin amplitude (green optical density; the synthetic skin's
    hemoglobin absorbs 1.0 in green) as a Gaussian exp(-d^2 / r^2) blurred by the camera's
    lens (sigma b from the truth): peak A (r^2/2) / s^2 and width s^2 = r^2/2 + b^2;
  - noise: the robust spread (1.4826 MAD) of the photo's green optical density minus its
    Gaussian blur (sigma 3 px), over pixels within 24 px that are more than 2.5 r + 2 px from
    every puncture - sensor noise, JPEG loss and skin texture (pores, mottling) together;
  - SNR = peak x sqrt(pi s^2) / noise, what an ideal filter matched to that one spot would
    see in white noise of that spread. It ignores neighbouring punctures, so it does not
    describe crowding.
Then recall (the matching of `needlescope eval`, read from its --matches CSV) by SNR band
and Fitzpatrick type, and per dark-skin photo. Detections come
from `build/needlescope analyze` with the synthetic camera's calibration, as
tools/detection-accuracy.py runs it. Takes about 5 minutes. Needs numpy, scipy, skimage.
"""
import argparse
import csv
import os
import subprocess
import tempfile

import numpy as np
from scipy import ndimage
from skimage import io

from treated_photos import analyze, binary, root, treated_photos

BANDS = [0, 10, 15, 20, 30, 45, 70, float("inf")]


def green_od_table():
    codes = np.arange(256) / 255.0
    linear = np.where(codes > 0.04045, ((codes + 0.055) / 1.055) ** 2.4, codes / 12.92)
    return -np.log10(np.maximum(linear, 1e-4))


def required_hits_by_photo(truth_dir, result_dir):
    """Per photo, {truth index: matched} for its required points, as `needlescope eval` judges
    both (its --matches CSV), so that neither rule is copied here."""
    with tempfile.NamedTemporaryFile(suffix=".csv") as matches:
        subprocess.run([binary, "eval", "--truth", truth_dir, "--result",
                        result_dir, "--matches", matches.name, "-q"], check=True, stdout=subprocess.DEVNULL)
        found = {}
        for row in csv.DictReader(open(matches.name)):
            if row["truth"] != "-1" and row["required"] == "1":
                found.setdefault(row["name"], {})[int(row["truth"])] = row["detection"] != "-1"
    return found


def photo_snr(image, truth):
    """SNR of each puncture of one photo (see the module docstring)."""
    punctures = truth["punctures"]
    xy = np.array([[p["x"], p["y"]] for p in punctures])
    r = np.array([p["radius_px"] for p in punctures])
    amplitude = np.array([p["amplitude"] * p.get("glare", 1.0) for p in punctures])
    od = green_od_table()[image[..., 1]]
    high_pass = od - ndimage.gaussian_filter(od, 3.0)
    far = np.ones(od.shape, bool)
    for (x, y), radius in zip(xy, r):
        reach = int(2.5 * radius + 2)
        far[max(0, int(y) - reach):int(y) + reach + 1, max(0, int(x) - reach):int(x) + reach + 1] = False
    blur = truth["camera"]["blur_sigma_px"]
    snr = np.zeros(len(punctures))
    for i, (x, y) in enumerate(xy.astype(int)):
        window = (slice(max(0, y - 24), y + 25), slice(max(0, x - 24), x + 25))
        values = high_pass[window][far[window]]
        if len(values) < 40:  # crowded: the photo's pixels away from every puncture
            values = high_pass[far]
        noise = 1.4826 * np.median(np.abs(values - np.median(values)))
        width2 = r[i] ** 2 / 2 + blur ** 2
        peak = amplitude[i] * (r[i] ** 2 / 2) / width2
        snr[i] = peak * np.sqrt(np.pi * width2) / max(noise, 1e-6)
    return snr


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", default=os.path.join(root, "build", "benchset", "test"))
    args = ap.parse_args()
    photos = treated_photos(args.set)
    with tempfile.TemporaryDirectory() as out:
        found = required_hits_by_photo(analyze(args.set, photos, out), out)
        records = []  # (type, snr, hit, photo)
        for name, truth in photos.items():
            snr = photo_snr(io.imread(os.path.join(args.set, truth["scene"]["image"])), truth)
            hits = found.get(name, {})
            records += [(truth["scene"]["fitzpatrick"], snr[i], hits[i], name) for i in sorted(hits)]
    types = np.array([t for t, _, _, _ in records])
    snr = np.array([s for _, s, _, _ in records])
    hit = np.array([h for _, _, h, _ in records], float)
    stems = np.array([s for _, _, _, s in records])

    def cell(mask):
        return f"{hit[mask].mean():.2f} ({mask.sum()})" if mask.sum() >= 20 else "–"

    print("Recall of required punctures by matched-filter SNR and Fitzpatrick type (count in brackets)\n")
    print("| SNR | " + " | ".join(f"type {t}" for t in range(1, 7)) + " |")
    print("| --- |" + " --- |" * 6)
    for lo, hi in zip(BANDS[:-1], BANDS[1:]):
        band = (snr >= lo) & (snr < hi)
        label = f"{lo:g}–{hi:g}" if hi < float("inf") else f"≥ {lo:g}"
        print(f"| {label} | " + " | ".join(cell(band & (types == t)) for t in range(1, 7)) + " |")
    print("| all: recall, median SNR | " + " | ".join(
        f"{hit[types == t].mean():.3f}, {np.median(snr[types == t]):.0f}" for t in range(1, 7)) + " |")
    print("\nFitzpatrick V and VI, per photo: recall, median SNR, recall at SNR 20–45\n")
    print("| photo | type | required | recall | median SNR | recall at SNR 20–45 |")
    print("| --- | --- | --- | --- | --- | --- |")
    for stem in sorted(set(stems[types >= 5])):
        m = stems == stem
        mid = m & (snr >= 20) & (snr < 45)
        print(f"| {stem} | {types[m][0]} | {m.sum()} | {hit[m].mean():.3f} | {np.median(snr[m]):.0f} | {cell(mid)} |")


if __name__ == "__main__":
    main()
