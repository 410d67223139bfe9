#!/usr/bin/python3
"""How tightly packed a synthetic scene's punctures are, from its truth file.

For each DIR/<name>.truth.json given: the Fitzpatrick type, the number of required
punctures (visible, not faint, not occluded: what eval counts), the median distance from
each to its nearest neighbour (px), the median radius (px) and the median of their ratio.
A small ratio (below ~3.2) is a dense field where spots nearly touch: the hardest case
for detection on dark skin (docs/detection.md, "Dense fields on dark skin").

  tools/pattern-density.py build/benchset/test/pair-*-before.truth.json
"""
import json
import os
import sys

import numpy as np
from scipy.spatial import cKDTree


def main(paths):
    print("scene\tfitzpatrick\tpunctures\tnn_px\tradius_px\tnn_over_radius")
    for path in paths:
        truth = json.load(open(path))
        required = [p for p in truth["punctures"] if p["visible"] and not p["faint"] and not p["occluded"]]
        if len(required) < 2:
            continue
        xy = np.array([[p["x"], p["y"]] for p in required])
        radius = np.array([p["radius_px"] for p in required])
        nearest, _ = cKDTree(xy).query(xy, 2)
        name = os.path.basename(path).removesuffix(".truth.json")
        print(f"{name}\t{truth['scene']['fitzpatrick']}\t{len(required)}\t{np.median(nearest[:, 1]):.1f}"
              f"\t{np.median(radius):.2f}\t{np.median(nearest[:, 1] / radius):.2f}")


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit("usage: tools/pattern-density.py TRUTH.json...")
    main(sys.argv[1:])
