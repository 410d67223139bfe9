#!/usr/bin/python3
"""The report page's size and cost (issue "The clinician's report"; run by tools/bench.sh).

On a rendered 24 MP photo (6000 x 4000, JPEG quality 90; build/bench-images/, made once), in
one run, runs of each taken in turn so that the machine's drift falls on all alike:
  a. `analyze --no-report`: JSON and CSV only (what `--pictures none` wrote before the report);
  b. `analyze` with default outputs: JSON, CSV and the report page;
  c. `analyze --pictures overlay,redness,coverage`: the three full-size PNGs the report replaced.
Medians of the wall times (/usr/bin/time), the report's size, and the report's own cost:
(b) - (a), and the time the analysis spent on the report's layers (timing_ms.report_layers).
Writes the section between the markers in docs/report.md (or only prints it with --smoke:
a 1 MP photo, checks every figure is there).
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
build = os.path.join(root, "build")
needlescope = os.path.join(build, "needlescope")
BEGIN, END = "<!-- bench-report:begin -->", "<!-- bench-report:end -->"


def run(args):
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"bench-report: {' '.join(args)} failed (exit {res.returncode}): {res.stderr.strip()[-500:]}")
    return res


def photo(work, width, height, seed):
    folder = os.path.join(work, f"report-{width}x{height}")
    path = os.path.join(folder, f"skin-treated-{seed}.jpg")
    if not os.path.exists(path):
        print(f"bench-report: rendering a {width} x {height} photo", file=sys.stderr)
        run([needlescope, "synth", "-o", folder, "-q", "--scene", "skin-treated", "--seed", str(seed),
             "--width", str(width), "--height", str(height), "--quality", "90"])
    return path


def timed(path, extra):
    with tempfile.TemporaryDirectory() as out:
        res = run(["/usr/bin/time", "-f", "TIME %e %M", needlescope, "analyze", path, "-o", out, "-q", *extra])
        wall, rss_kb = [l for l in res.stderr.splitlines() if l.startswith("TIME ")][-1].split()[1:]
        stem = os.path.splitext(os.path.basename(path))[0]
        page = os.path.join(out, stem + ".report.html")
        size = os.path.getsize(page) if os.path.exists(page) else None
        timing = json.load(open(os.path.join(out, stem + ".json")))["timing_ms"]
    return float(wall), int(rss_kb) / 1024, size, timing


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    width, height, repeat = (1152, 864, 1) if args.smoke else (6000, 4000, args.repeat)
    work = os.path.join(build, "bench-smoke" if args.smoke else "bench-images")
    path = photo(work, width, height, 8103)
    floor = json.loads(run([os.path.join(build, "bench", "decode_floor"), "--repeat", "5", path]).stdout.splitlines()[0])
    decode_s = floor["decode_ms_median"] / 1000
    runs = {"bare": [], "report": [], "pictures": []}
    extra = {"bare": ["--no-report"], "report": [], "pictures": ["--pictures", "overlay,redness,coverage"]}
    for i in range(repeat):
        for kind in runs:
            runs[kind].append(timed(path, extra[kind]))
            print(f"bench-report: {kind} run {i + 1}: {runs[kind][-1][0]:.2f} s", file=sys.stderr)
    wall = {k: statistics.median(r[0] for r in v) for k, v in runs.items()}
    rss = {k: max(r[1] for r in v) for k, v in runs.items()}
    size_mb = runs["report"][0][2] / 1e6
    layers_ms = statistics.median(r[3].get("report_layers", float("nan")) for r in runs["report"])
    cost = wall["report"] - wall["bare"]
    mp = width * height / 1e6
    ok = lambda good: "**met**" if good else "**not met**"
    text = f"""{BEGIN}
Measured by `tools/bench-report.py` (run by `tools/bench.sh`) on a {mp:.0f} MP photo
(`needlescope synth --scene skin-treated --seed 8103`, {width} × {height}, JPEG quality 90), {os.cpu_count()}
cores, {repeat} runs of each kind taken in turn, medians. Decoding it alone (`cv::imread`): {decode_s:.2f} s.

| run | wall | × decoding | peak RSS |
| --- | --- | --- | --- |
| `analyze --no-report` (JSON, CSV: the old `--pictures none`) | {wall['bare']:.2f} s | {wall['bare'] / decode_s:.1f} × | {rss['bare']:.0f} MB |
| `analyze` (default: JSON, CSV, report page) | {wall['report']:.2f} s | {wall['report'] / decode_s:.1f} × | {rss['report']:.0f} MB |
| `analyze --pictures overlay,redness,coverage` (the old default's three PNGs, and the page) | {wall['pictures']:.2f} s | {wall['pictures'] / decode_s:.1f} × | {rss['pictures']:.0f} MB |

| target | figure | |
| --- | --- | --- |
| report ≤ 5 MB for a {mp:.0f} MP photo | {size_mb:.2f} MB | {ok(size_mb <= 5)} |
| writing it ≤ 10 % of `analyze`'s time | default − `--no-report` = {cost:.2f} s, {100 * cost / wall['bare']:.1f} % (its layers inside the analysis: {layers_ms:.0f} ms) | {ok(cost <= 0.1 * wall['bare'])} |
| default outputs no slower than `--pictures none` (now `--no-report`) + 10 % | {wall['report'] / wall['bare']:.3f} × | {ok(wall['report'] <= 1.1 * wall['bare'])} |
{END}"""
    print(text)
    figures = [decode_s, size_mb, layers_ms, *wall.values(), *rss.values()]
    if any(not (v == v) or v <= 0 for v in figures):
        sys.exit(f"bench-report: a figure is missing or not positive: {figures}")
    if args.smoke:
        return
    doc = os.path.join(root, "docs", "report.md")
    old = open(doc).read()
    new = re.sub(re.escape(BEGIN) + ".*?" + re.escape(END), lambda _: text, old, flags=re.S) if BEGIN in old else \
        old + "\n## Size and cost\n\n" + text + "\n"
    open(doc, "w").write(new)


if __name__ == "__main__":
    main()
