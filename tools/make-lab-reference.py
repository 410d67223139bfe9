#!/usr/bin/python3
"""Writes tests/data/lab_reference.csv: CIELAB (D65) of 8-bit sRGB colours computed with
scikit-image's rgb2lab, the reference needlescope's colour module is tested against.

Colours: a 6x6x6 grid over the RGB cube, greys, and skin tones sampled from the committed
sample_images (every 97th pixel of each, so real skin, erythema and puncture colours are in).
Run with Debian's python3 (python3-skimage, python3-numpy): /usr/bin/python3 tools/make-lab-reference.py
"""
import csv
import glob
import os

import numpy as np
from skimage import io
from skimage.color import rgb2lab

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
colours = set()
levels = [0, 51, 102, 153, 204, 255]
for r in levels:
    for g in levels:
        for b in levels:
            colours.add((r, g, b))
for v in range(0, 256, 5):
    colours.add((v, v, v))
for path in sorted(glob.glob(os.path.join(root, "sample_images", "*.jpg"))):
    pixels = io.imread(path).reshape(-1, 3)[::97]
    for p in pixels[:400]:
        colours.add(tuple(int(c) for c in p))

rgb = np.array(sorted(colours), dtype=np.uint8)
lab = rgb2lab(rgb.reshape(-1, 1, 3)).reshape(-1, 3)
out = os.path.join(root, "tests", "data", "lab_reference.csv")
with open(out, "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["r", "g", "b", "L", "a", "b_star"])
    for (r, g, b), (L, a, bs) in zip(rgb, lab):
        w.writerow([r, g, b, f"{L:.6f}", f"{a:.6f}", f"{bs:.6f}"])
print(f"{len(rgb)} colours -> {out} (scikit-image {__import__('skimage').__version__})")
