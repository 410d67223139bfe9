#!/usr/bin/python3
"""Detection accuracy on the benchmark TEST set, as the issue asks for it.

usage: tools/detection-accuracy.py [--set build/benchset/test] [--update-readme]

Runs `build/needlescope analyze` on the set's skin photos three ways - the default (the
forest in models/puncture-classifier.bin), `--classifier none` (two colour thresholds),
both with the synthetic camera's calibration (models/chromophores-synth-camera.json) -
on the skin photos of the sibling set test-lossless (PNG), and on its substrates (JPEG and
lossless PNG, apart) with `--target stain`, then `build/needlescope eval` on each. Prints
a Markdown table: F1 overall, per kind, per Fitzpatrick type, per JPEG quality, false
positives per megapixel on untreated skin, faint recall, localisation. With --update-readme
it replaces the table between the detection-accuracy markers in README.md.
Needs the set (tools/make-benchset.sh) and a build (tools/build.sh). Standard library only.
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.path.join(root, "build", "needlescope")
chromophores = os.path.join(root, "models", "chromophores-synth-camera.json")
begin, end = "<!-- detection-accuracy:begin -->", "<!-- detection-accuracy:end -->"


def run_eval(set_dir, images, extra, tmp, tag):
    out = os.path.join(tmp, tag)
    subprocess.run([binary, "analyze", *images, "-o", out, "-q", *extra], check=True)
    report = os.path.join(out, "eval.json")
    # eval reports (and skips) truth files without results: the other kinds of scene.
    subprocess.run([binary, "eval", "--truth", set_dir, "--result", out, "--json", report, "-q"],
                   stderr=subprocess.DEVNULL)
    return json.load(open(report))


def fmt(v, digits=3):
    return "–" if v is None else f"{v:.{digits}f}"


def table(blood, thresholds, stain, stain_lossless, lossless_blood, lossless_thresholds):
    def group(report, name):
        return report["groups"][name]

    rows = [("F1, all treated photos (P, R)",
             lambda r: f"{fmt(r['treated']['f1'])} ({fmt(r['treated']['precision'])}, {fmt(r['treated']['recall'])})",
             "≥ 0.95")]
    for kind in ("skin-treated", "pair"):
        rows.append((f"F1, {kind}", lambda r, k=kind: fmt(group(r, "kind")[k]["f1"]), ""))
    for fz in sorted(group(blood, "fitzpatrick"), key=int):
        rows.append((f"F1, Fitzpatrick {fz}", lambda r, f=fz: fmt(group(r, "fitzpatrick")[f]["f1"]), "≥ 0.90"))
    qualities = sorted({int(q) for q in group(blood, "jpeg_quality")})
    for q in qualities:
        rows.append((f"F1, JPEG quality {q}", lambda r, q=q: fmt(group(r, "jpeg_quality")[str(q)]["f1"]),
                     "≥ 0.90" if q >= 70 else ""))
    rows += [
        ("untreated skin: false positives per MP",
         lambda r: fmt(group(r, "kind")["skin-untreated"]["fp_per_mp"], 1), "≤ 0.5"),
        ("median localisation error, px", lambda r: fmt(r["treated"]["loc_error_median_px"]), "≤ 0.5"),
        ("faint punctures found", lambda r: f"{r['treated']['faint']['found']} of {r['treated']['faint']['total']}", "reported"),
    ]
    lines = ["| test set (seeds 2000+) | forest (default) | thresholds (`--classifier none`) | target |",
             "| --- | --- | --- | --- |"]
    for label, cell, target in rows:
        lines.append(f"| {label} | {cell(blood)} | {cell(thresholds)} | {target} |")
    def worst_type(r):
        fz = {k: v for k, v in group(r, "fitzpatrick").items() if v["f1"] is not None}
        k = min(fz, key=lambda k: fz[k]["f1"])
        return f"{fmt(fz[k]['f1'])} (type {k})"
    lossless_rows = [
        ("lossless PNG skin (test-lossless, seeds 2500+): F1, treated (P, R)",
         lambda r: f"{fmt(r['treated']['f1'])} ({fmt(r['treated']['precision'])}, {fmt(r['treated']['recall'])})", ""),
        ("lossless PNG skin: worst Fitzpatrick type, F1", worst_type, ""),
        ("lossless PNG skin: untreated, false positives per MP",
         lambda r: fmt(group(r, "kind")["skin-untreated"]["fp_per_mp"], 1), ""),
    ]
    for label, cell, target in lossless_rows:
        lines.append(f"| {label} | {cell(lossless_blood)} | {cell(lossless_thresholds)} | {target} |")
    for label, r in (("JPEG", stain), ("lossless PNG", stain_lossless)):
        lines.append(f"| validation substrates ({label}), `--target stain`: F1 (holes found) | "
                     f"{fmt(r['f1'])} ({r['tp']} of {r['tp'] + r['fn']}, {r['fp']} FP) | | ≥ 0.98 |")
    return "\n".join(lines)


def with_treated_totals(report):
    # The report's totals include untreated photos (false positives only); F1 over the
    # treated photos is what the target is about.
    kinds = report["groups"]["kind"]
    tp = sum(kinds[k]["tp"] for k in kinds if k != "skin-untreated")
    fp = sum(kinds[k]["fp"] for k in kinds if k != "skin-untreated")
    fn = sum(kinds[k]["fn"] for k in kinds if k != "skin-untreated")
    faint = {"found": sum(kinds[k]["faint"]["found"] for k in kinds),
             "total": sum(kinds[k]["faint"]["total"] for k in kinds)}
    report["treated"] = {"precision": tp / max(1, tp + fp), "recall": tp / max(1, tp + fn),
                         "f1": 2 * tp / max(1, 2 * tp + fp + fn), "faint": faint,
                         "loc_error_median_px": report["loc_error_median_px"]}
    return report


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", default=os.path.join(root, "build", "benchset", "test"))
    ap.add_argument("--update-readme", action="store_true")
    args = ap.parse_args()
    skin = sorted(glob.glob(os.path.join(args.set, "skin-*.jpg")) + glob.glob(os.path.join(args.set, "pair-*.jpg")))
    substrates = sorted(glob.glob(os.path.join(args.set, "substrate-*.jpg")))
    lossless = sorted(glob.glob(os.path.join(args.set, "substrate-*.png")))
    lossless_set = os.path.join(os.path.dirname(os.path.abspath(args.set)), "test-lossless")
    lossless_skin = sorted(glob.glob(os.path.join(lossless_set, "skin-*.png")))
    if not skin or not substrates or not lossless or not lossless_skin:
        sys.exit(f"no benchmark photos in {args.set}: run tools/make-benchset.sh")
    with tempfile.TemporaryDirectory() as tmp:
        calibrated = ["--chromophores", chromophores]
        blood = with_treated_totals(run_eval(args.set, skin, calibrated, tmp, "forest"))
        thresholds = with_treated_totals(run_eval(args.set, skin, calibrated + ["--classifier", "none"], tmp, "thresholds"))
        stain = run_eval(args.set, substrates, ["--target", "stain"], tmp, "stain")
        stain_lossless = run_eval(args.set, lossless, ["--target", "stain"], tmp, "stain-lossless")
        lossless_blood = with_treated_totals(run_eval(lossless_set, lossless_skin, calibrated, tmp, "lossless-forest"))
        lossless_thresholds = with_treated_totals(
            run_eval(lossless_set, lossless_skin, calibrated + ["--classifier", "none"], tmp, "lossless-thresholds"))
    text = table(blood, thresholds, stain, stain_lossless, lossless_blood, lossless_thresholds)
    print(text)
    if args.update_readme:
        path = os.path.join(root, "README.md")
        readme = open(path).read()
        a, b = readme.index(begin) + len(begin), readme.index(end)
        open(path, "w").write(readme[:a] + "\n" + text + "\n" + readme[b:])


if __name__ == "__main__":
    main()
