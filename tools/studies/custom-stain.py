#!/usr/bin/python3
"""A stain other than the two blue ones: what `analyze --stain-od` gains.

usage: tools/studies/custom-stain.py [--count 8]

For three dye colours the renderer has never drawn by default (camera OD directions R,G,B:
violet 0.75,1,0.25 as gentian violet; pink 0.15,1,0.35 as eosin; yellow 0.05,0.3,1), renders
`--count` substrates of each renderer family (seeds 3000+, not shared with any benchmark
set) with `needlescope synth --stain-od`, analyses them with the default options, with and
without being told the colour, and scores them with `needlescope eval`. Prints a Markdown
table: F1 (precision, recall), and which target and stain name the JSON gave.
"""
import argparse
import collections
import csv
import glob
import json
import os
import subprocess
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
exe = os.path.join(root, "build", "needlescope")
COLOURS = {"violet": "0.75,1,0.25", "pink": "0.15,1,0.35", "yellow": "0.05,0.3,1"}


def run(*args):
    subprocess.run([exe, *args], check=True)


def score(truth_dir, result_dir):
    run("eval", "--truth", truth_dir, "--result", result_dir, "--csv", result_dir + ".csv", "-q")
    total = [r for r in csv.DictReader(open(result_dir + ".csv")) if r["name"] == "TOTAL"][0]
    named = collections.Counter()
    for f in glob.glob(os.path.join(result_dir, "*.json")):
        d = json.load(open(f))["detection"]
        named[f"{d['target']}" + (f" ({d['stain']['name']})" if d.get("stain") and d["stain"]["name"] else "")] += 1
    num = lambda k: f"{float(total[k]):.3f}" if total[k] else "-"  # no detections: no precision
    return (f"{num('f1')} ({num('precision')}, {num('recall')})",
            ", ".join(f"{k} {v}" for k, v in sorted(named.items())))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=8)
    args = parser.parse_args()
    print("| stain (OD R,G,B) | family | not told: F1 (P, R) | decided | told (`--stain-od`): F1 (P, R) | decided |")
    print("| --- | --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for name, od in COLOURS.items():
            for family in "abc":
                scenes = os.path.join(tmp, f"{name}-{family}")
                run("synth", "--scene", "substrate", "--seed", "3000", "--count", str(args.count), "--family", family,
                    "--stain-od", od, "-q", "-o", scenes)
                photos = sorted(glob.glob(os.path.join(scenes, "*.jpg")))
                cells = []
                for told in (False, True):
                    out = scenes + ("-told" if told else "-blind")
                    run("analyze", *photos, "--pictures", "none", "-q", "-o", out, *(["--stain-od", od] if told else []))
                    cells.extend(score(scenes, out))
                print(f"| {name} ({od}) | {family.upper()} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
