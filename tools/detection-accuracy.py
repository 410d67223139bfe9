#!/usr/bin/python3
"""Detection accuracy on the benchmark TEST set, as the issue asks for it.

usage: tools/detection-accuracy.py [--set build/benchset/test] [--update-readme]

Runs `build/needlescope analyze` on the set's skin photos two ways - the default options (the
forest in models/puncture-classifier.bin, trained with the literature vectors, `--target
auto`) and `--classifier none` (two colour thresholds) with the synthetic camera's
calibration (models/chromophores-synth-camera.json) they were tuned with - on the skin photos
of the sibling set test-lossless (PNG), and on its substrates (JPEG and lossless PNG, apart)
with the default options (the target decided from the photo), then
`build/needlescope eval` on each. Required punctures are those with d' >= 5 in the truth
(docs/synthetic-scenes.md, "Visibility"). Prints a Markdown table: F1 overall with its
bootstrap 95 % interval over scenes, per kind, per Fitzpatrick type and JPEG band (with
interval and scene count; groups of fewer than 5 scenes are marked), false positives per
megapixel on untreated skin, faint recall, localisation. With --update-readme it replaces
the table between the detection-accuracy markers in README.md.
Needs the set (tools/make-benchset.sh) and a build (tools/build.sh). Standard library only.
"""
import argparse
import glob
import json
import os
import random
import subprocess
import sys
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
binary = os.environ.get("NEEDLESCOPE_BIN", os.path.join(root, "build", "needlescope"))
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


def with_interval(g):
    """F1 [95 % interval over scenes], n scenes; marked when too few scenes for a target."""
    if g["f1"] is None:
        return "–"
    ci = g.get("f1_ci95")
    interval = f" [{ci[0]:.3f}, {ci[1]:.3f}]" if ci else ""
    few = "" if g.get("enough_scenes", True) else ", too few for a target"
    return f"{fmt(g['f1'])}{interval} ({g['scenes']} scenes{few})"


def table(blood, thresholds, stain, stain_lossless, lossless_blood, lossless_thresholds):
    def group(report, name):
        return report["groups"][name]

    rows = [("F1, all treated photos (P, R) [95 % interval]",
             lambda r: f"{fmt(r['treated']['f1'])} ({fmt(r['treated']['precision'])}, {fmt(r['treated']['recall'])})"
                       f" [{r['treated']['f1_ci95'][0]:.3f}, {r['treated']['f1_ci95'][1]:.3f}]",
             "≥ 0.93")]
    for kind in ("skin-treated", "pair"):
        rows.append((f"F1, {kind}", lambda r, k=kind: with_interval(group(r, "kind")[k]), ""))
    for fz in sorted(group(blood, "fitzpatrick"), key=int):
        rows.append((f"F1, Fitzpatrick {fz}", lambda r, f=fz: with_interval(group(r, "fitzpatrick")[f]),
                     "≥ 0.88, within 0.05 of the best"))
    for band in sorted(group(blood, "jpeg_band")):
        rows.append((f"F1, JPEG quality {band}", lambda r, b=band: with_interval(group(r, "jpeg_band")[b]), ""))
    rows += [
        ("untreated skin: false positives per MP",
         lambda r: fmt(group(r, "kind")["skin-untreated"]["fp_per_mp"], 1), "≤ 0.5"),
        ("median localisation error, px", lambda r: fmt(r["treated"]["loc_error_median_px"]), "≤ 0.5"),
        ("faint punctures found", lambda r: f"{r['treated']['faint']['found']} of {r['treated']['faint']['total']}", "reported"),
    ]
    lines = ["| test set (seeds 2000+, renderer family A) | forest, default options | thresholds (`--classifier none`, "
             "with the camera calibration they were tuned with) | target |",
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
        lines.append(f"| validation substrates ({label}), default options: F1 (holes found) | "
                     f"{fmt(r['f1'])} ({r['tp']} of {r['tp'] + r['fn']}, {r['fp']} FP) | | ≥ 0.97 |")
    return "\n".join(lines)


def family_table(families):
    """Held-out renderer families (docs/synthetic-scenes.md, "Renderer families"), every one
    analysed with the default options only (no camera calibration: a new user's run)."""
    lines = ["| renderer family, default options (the classifier has seen all three: in-family figures; "
             "held out, docs/detection.md) | F1 treated (P, R) [95 % interval] | "
             "worst Fitzpatrick type (best) | untreated skin FP per MP | substrates F1 (JPEG; lossless) |",
             "| --- | --- | --- | --- | --- |"]
    for name, (skin, substrates, substrates_lossless) in families.items():
        t = skin["treated"]
        fz = {k: v for k, v in skin["groups"]["fitzpatrick"].items() if v["f1"] is not None}
        worst, best = min(fz, key=lambda k: fz[k]["f1"]), max(fz, key=lambda k: fz[k]["f1"])
        lines.append(f"| {name} | {fmt(t['f1'])} ({fmt(t['precision'])}, {fmt(t['recall'])}) "
                     f"[{t['f1_ci95'][0]:.3f}, {t['f1_ci95'][1]:.3f}] | {fmt(fz[worst]['f1'])} (type {worst}; best "
                     f"{fmt(fz[best]['f1'])}, type {best}) | {fmt(skin['groups']['kind']['skin-untreated']['fp_per_mp'], 1)} | "
                     f"{fmt(substrates['f1'])}; {fmt(substrates_lossless['f1'])} |")
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
                         "f1_ci95": bootstrap_f1([r for r in report["images"] if r["kind"] != "skin-untreated"]),
                         "loc_error_median_px": report["loc_error_median_px"]}
    return report


def bootstrap_f1(rows, draws=2000):
    """eval's interval for a subset of its rows: scenes (a pair's two photos are one)
    drawn with replacement, F1 of the summed counts, 2.5th and 97.5th percentiles."""
    scenes = {}
    for r in rows:
        name = r["name"]
        for suffix in ("-before", "-after"):
            if name.endswith(suffix):
                name = name[: -len(suffix)]
        c = scenes.setdefault(name, [0, 0])
        c[0] += r["tp"]
        c[1] += r["fp"] + r["fn"]
    counts = list(scenes.values())
    rng = random.Random(20261204)
    f1s = []
    for _ in range(draws):
        tp = errors = 0
        for _ in counts:
            c = counts[rng.randrange(len(counts))]
            tp += c[0]
            errors += c[1]
        f1s.append(2 * tp / max(1, 2 * tp + errors))
    f1s.sort()
    def pct(q):  # numpy's default (linear) interpolation
        k = q / 100 * (len(f1s) - 1)
        lo = int(k)
        return f1s[lo] + (k - lo) * (f1s[min(lo + 1, len(f1s) - 1)] - f1s[lo])
    return [pct(2.5), pct(97.5)]


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
        blood = with_treated_totals(run_eval(args.set, skin, [], tmp, "forest"))
        thresholds = with_treated_totals(run_eval(args.set, skin, calibrated + ["--classifier", "none"], tmp, "thresholds"))
        stain = run_eval(args.set, substrates, [], tmp, "stain")
        stain_lossless = run_eval(args.set, lossless, [], tmp, "stain-lossless")
        lossless_blood = with_treated_totals(run_eval(lossless_set, lossless_skin, [], tmp, "lossless-forest"))
        lossless_thresholds = with_treated_totals(
            run_eval(lossless_set, lossless_skin, calibrated + ["--classifier", "none"], tmp, "lossless-thresholds"))
        families = {}
        base = os.path.dirname(os.path.abspath(args.set))
        for family, set_dir in (("A", args.set), ("B", os.path.join(base, "test-b")), ("C", os.path.join(base, "test-c"))):
            skin_f = sorted(glob.glob(os.path.join(set_dir, "skin-*.jpg")) + glob.glob(os.path.join(set_dir, "pair-*.jpg")))
            if not skin_f:
                continue  # tools/make-benchset.sh --family b|c makes them
            tag = family[0]
            families[family] = (
                with_treated_totals(run_eval(set_dir, skin_f, [], tmp, f"family-{tag}")),
                run_eval(set_dir, sorted(glob.glob(os.path.join(set_dir, "substrate-*.jpg"))), [], tmp, f"family-{tag}-stain"),
                run_eval(set_dir, sorted(glob.glob(os.path.join(set_dir, "substrate-*.png"))), [], tmp, f"family-{tag}-stain-png"))
    text = table(blood, thresholds, stain, stain_lossless, lossless_blood, lossless_thresholds)
    if families:
        text += "\n\n" + family_table(families)
    print(text)
    if args.update_readme:
        path = os.path.join(root, "README.md")
        readme = open(path).read()
        a, b = readme.index(begin) + len(begin), readme.index(end)
        open(path, "w").write(readme[:a] + "\n" + text + "\n" + readme[b:])


if __name__ == "__main__":
    main()
