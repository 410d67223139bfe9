#!/usr/bin/python3
"""Which stain the substrates of each renderer family are named as (detection.stain).

usage: tools/studies/stain-identity.py [--sets tune tune-b tune-c]

Runs `needlescope analyze` with the default options on every substrate (JPEG and PNG) of
each set (default: the test sets, seeds 2000+, of families A, B and C: methylene blue,
methylene blue through another camera, a trypan-blue-like dye) and prints, per set, the
stain named for each photo decided to be a substrate, with its green/red absorption
ratio. Needs the build and the sets (tools/make-benchset.sh).
"""
import argparse
import glob
import json
import os
import subprocess
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
binary = os.environ.get("NEEDLESCOPE_BIN", os.path.join(root, "build", "needlescope"))

parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
parser.add_argument("--sets", nargs="+", default=["test", "test-b", "test-c"])
args = parser.parse_args()
with tempfile.TemporaryDirectory() as tmp:
    for name in args.sets:
        photos = sorted(glob.glob(os.path.join(root, "build", "benchset", name, "substrate-*.*g")))
        out = os.path.join(tmp, name)
        subprocess.run([binary, "analyze", *photos, "-o", out, "-q", "--pictures", "none"], check=True)
        named, ratios = {}, []
        for p in photos:
            d = json.load(open(os.path.join(out, os.path.splitext(os.path.basename(p))[0] + ".json")))["detection"]
            key = d["stain"]["name"] if "stain" in d else "taken for skin"
            named[key] = named.get(key, 0) + 1
            if "stain" in d:
                ratios.append(d["stain"]["green_over_red"])
        span = f"green/red {min(ratios):.2f}-{max(ratios):.2f}" if ratios else ""
        print(f"{name}: {len(photos)} substrates: " + ", ".join(f"{v} {k}" for k, v in sorted(named.items())) +
              f"; {span}")
