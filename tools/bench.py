#!/usr/bin/python3
"""The benchmarks of issues 28, 8 and 5, in one run: writes docs/benchmarks.md (called by tools/bench.sh).

usage: tools/bench.py [--smoke] [--out FILE] [--repeat N]

1. Floor: plain cv::imread of each benchmark JPEG (build/bench/decode_floor, in-process
   median) at 1, 4, 12, 24 and 48 MP.
2. `needlescope analyze` on the same JPEGs, as a user runs it (default options, every output
   written): median wall time of --repeat runs, time per MP, ratio to decoding, peak RSS
   (/usr/bin/time), a least-squares line through time against megapixels (is the cost
   linear in pixels?), and the speed-up from --threads 1 to all cores at 24 MP (runs of
   each taken in turn).
2b. Detection alone against decoding (issue 5): build/bench/detect_floor, one process per
   image: the stage as `analyze` runs it (the model, all cores) against cv::imread of the same
   JPEG, medians; and the stage's own peak memory in full-size float planes.
3. Peers (tools/bench-peers.py) on the accuracy benchmark set: tuned on its tune set, scored
   on its test set with `needlescope eval`.
4. Kernels: the Google Benchmark micro-benchmarks of the hot stages (build/bench/pipeline_bench).
Every figure is from this run; ratios and medians, since these machines are shared.
--smoke: tiny images, one repeat, two grid points per peer, a few benchmark iterations; checks
that every section was measured and writes to build/bench-smoke/ (tools/test.sh runs it).
Standard library only (the peers script needs numpy and scikit-image).
"""
import argparse
import datetime
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
build = os.path.join(root, "build")
needlescope = os.path.join(build, "needlescope")

FULL_SIZES = [(1152, 864), (2304, 1728), (4000, 3000), (6000, 4000), (8000, 6000)]  # 1, 4, 12, 24, 48 MP
TARGET_MP = 24  # issue 28's targets are for a 24 MP photo (the largest smoke photo stands in)
SMOKE_SIZES = [(384, 288), (640, 480)]  # synth needs >= 256 px a side
IMAGE_SEED, IMAGE_QUALITY = 8100, 90


def run(args):
    res = subprocess.run(args, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"bench: {' '.join(args)} failed (exit {res.returncode}): {res.stderr.strip()}")
    return res


def bench_images(sizes, image_dir):
    """Treated-skin JPEGs at each size, made once by `needlescope synth` (deterministic)."""
    paths = []
    for i, (w, h) in enumerate(sizes):
        path = os.path.join(image_dir, f"skin-treated-{IMAGE_SEED + i}.jpg")
        stamp = path + f".{w}x{h}-q{IMAGE_QUALITY}"
        if not os.path.exists(stamp):
            print(f"bench: rendering a {w} x {h} photo", file=sys.stderr)
            run([needlescope, "synth", "-o", image_dir, "-q", "--scene", "skin-treated", "--seed", str(IMAGE_SEED + i),
                 "--width", str(w), "--height", str(h), "--quality", str(IMAGE_QUALITY)])
            open(stamp, "w").close()
        paths.append(path)
    return paths


def decode_floor(paths, repeat):
    lines = run([os.path.join(build, "bench", "decode_floor"), "--repeat", str(max(3, repeat)), *paths]).stdout
    return [json.loads(line) for line in lines.splitlines()]


def detection_floor(paths, repeat):
    """Detection alone against decoding, one process per image (its memory figure needs a
    process that has done nothing else: bench/detect_floor.cc)."""
    model = os.path.join(root, "models", "puncture-classifier.bin")
    return [json.loads(run([os.path.join(build, "bench", "detect_floor"), "--model", model, "--repeat",
                            str(max(3, repeat)), path]).stdout) for path in paths]


def timed_analyze(path, extra, repeat):
    """Median wall time (s) and largest peak RSS (MB) of `analyze` over `repeat` runs."""
    walls, rss = [], []
    with tempfile.TemporaryDirectory() as out:
        for _ in range(repeat):
            res = run(["/usr/bin/time", "-f", "TIME %e %M", needlescope, "analyze", path, "-o", out, "-q", *extra])
            line = [l for l in res.stderr.splitlines() if l.startswith("TIME ")][-1]
            walls.append(float(line.split()[1]))
            rss.append(int(line.split()[2]) / 1024)
    return statistics.median(walls), max(rss)


def fmt(v, digits=2):
    return "–" if v is None else f"{v:.{digits}f}"


def verdict(ok):
    return "**met**" if ok else "**not met**"


def target_index(rows):
    """The row of the TARGET_MP photo (in a smoke run, the largest)."""
    near = [i for i, r in enumerate(rows) if abs(r["megapixels"] - TARGET_MP) < 0.5]
    return near[0] if near else len(rows) - 1


def linear_fit(rows):
    """Least squares wall_s = fixed + per_mp * megapixels; with R^2 and the largest residual
    relative to the measured time."""
    xs, ys = [r["megapixels"] for r in rows], [r["wall_s"] for r in rows]
    n, mx, my = len(xs), statistics.fmean(xs), statistics.fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    per_mp = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx > 0 else 0.0
    fixed = my - per_mp * mx
    residuals = [y - (fixed + per_mp * x) for x, y in zip(xs, ys)]
    total = sum((y - my) ** 2 for y in ys)
    r2 = 1 - sum(e * e for e in residuals) / total if total > 0 else 1.0
    worst = max(abs(e) / y for e, y in zip(residuals, ys))
    return {"fixed_s": fixed, "per_mp_s": per_mp, "r2": r2, "worst_relative_residual": worst, "points": n}


def measure_analyze(paths, floor, repeat):
    rows = []
    for path, f in zip(paths, floor):
        wall, rss = timed_analyze(path, [], repeat)
        decoded_mb = f["width"] * f["height"] * 3 / 2**20
        rows.append({"megapixels": f["megapixels"], "decode_s": f["decode_ms_median"] / 1000, "wall_s": wall,
                     "rss_mb": rss, "decoded_mb": decoded_mb, "rss_limit_mb": 3 * decoded_mb + 100})
        print(f"bench: analyze {f['megapixels']:.1f} MP: {wall:.2f} s, {rss:.0f} MB", file=sys.stderr)
    # The thread speed-up from runs taken in turn (one thread, then all), so that the
    # machine's drift over minutes falls on both alike; medians of each.
    t = target_index(rows)
    one_walls, all_walls = [], []
    for _ in range(max(5, repeat)):
        one_walls.append(timed_analyze(paths[t], ["--threads", "1"], 1)[0])
        all_walls.append(timed_analyze(paths[t], [], 1)[0])
    one_thread, all_threads = statistics.median(one_walls), statistics.median(all_walls)
    # The same without the report page (JSON and CSV only), to show what the page costs (not a target).
    no_report, no_report_rss = timed_analyze(paths[t], ["--no-report"], repeat)
    return rows, {"megapixels": floor[t]["megapixels"], "one_thread_s": one_thread,
                  "all_threads_s": all_threads, "thread_runs": len(one_walls), "cores": os.cpu_count(),
                  "no_report_s": no_report, "no_report_rss_mb": no_report_rss}


def kernels(smoke):
    args = [os.path.join(build, "bench", "pipeline_bench"), "--benchmark_format=json"]
    args += ["--benchmark_min_time=0.01"] if smoke else ["--benchmark_repetitions=5",
                                                         "--benchmark_report_aggregates_only=true"]
    report = json.loads(run(args).stdout)
    rows = []
    for b in report["benchmarks"]:
        if smoke or b.get("aggregate_name") == "median":
            rows.append({"name": b["run_name"], "ms": b["real_time"] if b["time_unit"] == "ms" else None,
                         "mpx_per_s": b.get("items_per_second", 0) / 1e6 or None})
    return rows


# Issue 5's reading of "at most a few full-size float planes": three.
FEW_PLANES = 3


def document(analysis, threads, detection, peers, kernel_rows, repeat, smoke):
    lines = ["# Benchmarks", "",
             f"Written by `tools/bench.sh` on {datetime.date.today().isoformat()}: {os.cpu_count()} cores "
             f"({platform.processor() or platform.machine()}), every figure from that one run. "
             "The machines are shared and noisy, so read the ratios and medians, not the absolute "
             f"seconds. Wall times are the median of {repeat} runs. Where the time and memory go, and why "
             "some targets are out of reach: [performance.md](performance.md).", ""]
    if smoke:
        lines += ["**Smoke run on tiny images: these figures mean nothing.**", ""]
    target = analysis[target_index(analysis)]
    fit = linear_fit(analysis)
    speedup = threads["one_thread_s"] / threads["all_threads_s"]
    mp = f"{target['megapixels']:.1f} MP"
    ratio = target["wall_s"] / target["decode_s"]
    lines += ["## Targets (issue 28)", "", "| target | figure | |", "| --- | --- | --- |",
              f"| `analyze` of a {mp} JPEG, default outputs, {threads['cores']} threads, ≤ 3 × decoding it (goal 2 ×) | "
              f"{ratio:.1f} × | {verdict(ratio <= 3)} |"]
    target_detect = detection[target_index(detection)]
    detect_ratio = target_detect["detect_ms_median"] / target_detect["decode_ms_median"]
    lines.append(f"| detection stage of a {mp} JPEG ≤ 1 × decoding it, same cores | {detect_ratio:.1f} × | "
                 f"{verdict(detect_ratio <= 1)} |")
    lines += [f"| speed-up from 1 to {threads['cores']} threads ≥ 1.85 × | {speedup:.2f} × | {verdict(speedup >= 1.85)} |",
              f"| cost linear in pixels from {analysis[0]['megapixels']:.3g} to {analysis[-1]['megapixels']:.3g} MP "
              f"(least squares over {fit['points']} sizes; every time within 10 % of the line) | "
              f"{fit['fixed_s']:.2f} s + {fit['per_mp_s'] * 1000:.0f} ms per MP, R² {fit['r2']:.4f}, largest residual "
              f"{fit['worst_relative_residual'] * 100:.1f} % | {verdict(fit['worst_relative_residual'] <= 0.10)} |",
              f"| peak RSS at {mp} ≤ 3 × decoded size + 100 MB = {target['rss_limit_mb']:.0f} MB | "
              f"{target['rss_mb']:.0f} MB ({target['rss_mb'] / target['rss_limit_mb'] * 100:.0f} % of it) | "
              f"{verdict(target['rss_mb'] <= target['rss_limit_mb'])} |"]
    memory = f"| issue 5: detection's own memory ≤ a few ({FEW_PLANES}) full-size float planes at {mp} | "
    if target_detect["detect_peak_extra_mb"] is None:
        lines.append(memory + "not measured (the kernel refused to reset the peak RSS mark) | |")
    else:
        planes = target_detect["detect_peak_extra_mb"] / target_detect["float_plane_mb"]
        lines.append(memory + f"{planes:.2f} planes ({target_detect['detect_peak_extra_mb']:.0f} MB) | {verdict(planes <= FEW_PLANES)} |")
    blob_log = peers["peers"].get("blob_log")
    ours = peers["needlescope"]
    best_peer = max(p["score"]["f1"] for p in peers["peers"].values())
    if blob_log:
        one = blob_log["median_detect_s_per_photo"] / ours["one_thread_batch_s_per_photo"]
        like = blob_log["median_detect_s_per_photo"] / ours["median_detect_s_per_photo"]
        higher = ours["score"]["f1"] > blob_log["score"]["f1"]
        lines.append(f"| ≥ 30 × faster than `blob_log` per photo on one thread, at higher F1 (its detection call vs. our "
                     f"whole `analyze --threads 1` per photo in a batch; our detection stage, all cores, in brackets) | "
                     f"{one:.1f} × ({like:.1f} ×); F1 {ours['score']['f1']:.3f} vs. {blob_log['score']['f1']:.3f} | "
                     f"{verdict(one >= 30 and higher)} |")
    lines += [f"| higher F1 than every peer | {ours['score']['f1']:.3f} vs. best peer {best_peer:.3f} | "
              f"{verdict(ours['score']['f1'] > best_peer)} |",
              "| leave-one-family-out F1 drops by ≤ 0.003 | not measured here: "
              "`tools/studies/leave-one-family-out.py` (an hour of training), figures in "
              "[detection.md](detection.md) | |", ""]

    lines += ["## 1–2. Decoding floor and `needlescope analyze`", "",
              "Synthetic treated-skin photos (`needlescope synth --scene skin-treated`, JPEG quality "
              f"{IMAGE_QUALITY}). Decoding: `cv::imread` in one process, median of repeated runs "
              "(`build/bench/decode_floor`). `analyze`: the whole process with default options and every "
              "output written (JSON, CSV, the report page), wall time and peak RSS from `/usr/bin/time`.", "",
              "| image | decode | analyze | analyze per MP | analyze / decode | peak RSS | RSS limit (3 × decoded + 100 MB) |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in analysis:
        lines.append(f"| {r['megapixels']:.1f} MP | {r['decode_s'] * 1000:.0f} ms | {r['wall_s']:.2f} s | "
                     f"{r['wall_s'] / r['megapixels'] * 1000:.0f} ms | {r['wall_s'] / r['decode_s']:.1f} × | "
                     f"{r['rss_mb']:.0f} MB | {r['rss_limit_mb']:.0f} MB |")
    lines += ["", f"Threads, {threads['megapixels']:.1f} MP, {threads['thread_runs']} runs of each taken in turn: "
              f"`--threads 1` {threads['one_thread_s']:.2f} s, all {threads['cores']} cores "
              f"{threads['all_threads_s']:.2f} s (medians): speed-up {speedup:.2f} ×.", "",
              f"Without the report page (`--no-report`: JSON and CSV only), {threads['megapixels']:.1f} MP: "
              f"{threads['no_report_s']:.2f} s, {threads['no_report_s'] / target['decode_s']:.1f} × decoding, "
              f"peak RSS {threads['no_report_rss_mb']:.0f} MB.", "",
              f"Cost against size: {fit['fixed_s']:.2f} s + {fit['per_mp_s'] * 1000:.0f} ms per MP (least squares "
              f"over the {fit['points']} sizes above, R² {fit['r2']:.4f}); the fixed part is a process's start-up, "
              "the model's loading and the page's assets.", ""]

    lines += ["## 2b. Detection alone against decoding (issue 5)", "",
              "The same photos. `build/bench/detect_floor`, one process per photo: the detection stage as "
              "`analyze` runs it by default (the model in `models/`, every core, default tiles; candidates, "
              "measurements, both forests), median of repeated runs after the first, against `cv::imread` of the "
              "same JPEG in the same process (decoding is one thread: libjpeg does not split a baseline JPEG). "
              "Memory: the first detection's peak RSS above what the process held before it (the decoded photo "
              "and the model), in full-size float planes (width × height × 4 bytes).", "",
              "| image | decode | detect | detect / decode | detection's peak memory | in float planes |",
              "| --- | --- | --- | --- | --- | --- |"]
    for d in detection:
        peak = d["detect_peak_extra_mb"]  # None where the peak mark could not be reset
        planes = None if peak is None else peak / d["float_plane_mb"]
        lines.append(f"| {d['megapixels']:.1f} MP | {d['decode_ms_median']:.0f} ms | {d['detect_ms_median']:.0f} ms | "
                     f"{d['detect_ms_median'] / d['decode_ms_median']:.1f} × | {fmt(peak, 0)} MB | {fmt(planes)} |")
    lines += [""]

    lines += ["## 3. Peers, same photos, same `needlescope eval`", "",
              f"Tuned on {peers['tune_photos']} photos of `{os.path.relpath(peers['tune_set'], root)}` "
              f"(every third treated and untreated photo), scored on all {peers['test_photos']} skin photos of "
              f"`{os.path.relpath(peers['test_set'], root)}`. F1 over the treated photos; false positives per MP "
              "on the untreated ones. A peer's time is its detection call alone (decoding excluded), one photo "
              "at a time. needlescope's: the whole `analyze` of all the photos in one run, per photo (decode, "
              "detection, redness, uniformity, every output written; the model loaded once), on all cores and on one; then one process "
              "per photo (start-up and model loading included); then its detection stage, like for like (timed while redness runs beside it). "
              "How the peers were run and tuned: `tools/bench-peers.py`.", "",
              "| tool | parameters (chosen on the tune set) | F1 (P, R) | untreated FP/MP | time per photo |",
              "| --- | --- | --- | --- | --- |"]
    s = ours["score"]
    lines.append(f"| needlescope `analyze` (forest, calibrated camera) | defaults | {s['f1']:.3f} ({s['precision']:.3f}, "
                 f"{s['recall']:.3f}) | {fmt(s['untreated_fp_per_mp'], 1)} | batch {ours['batch_s_per_photo'] * 1000:.0f} ms "
                 f"(one thread {ours['one_thread_batch_s_per_photo'] * 1000:.0f} ms); "
                 f"alone {ours['median_s_per_photo'] * 1000:.0f} ms; detection {ours['median_detect_s_per_photo'] * 1000:.0f} ms |")
    for name, p in peers["peers"].items():
        s = p["score"]
        params = ", ".join(f"{k}={round(v, 3) if isinstance(v, float) else v}" for k, v in p["params"].items())
        lines.append(f"| {name} | {params} (best of {p['grid_points']}) | {s['f1']:.3f} ({s['precision']:.3f}, "
                     f"{s['recall']:.3f}) | {fmt(s['untreated_fp_per_mp'], 1)} | "
                     f"{p['median_detect_s_per_photo'] * 1000:.0f} ms |")
    lines += ["", "## 4. Kernels (Google Benchmark, `build/bench/pipeline_bench`)", "",
              "Sample photo `sample_images/skin-treated-101.jpg` (1024 × 768); median of 5 repetitions; "
              "the tiled kernels and whole stages use every core; LogStack and FindSpotMaxima one "
              "(the photo as one tile). "
              "Rerun alone with `tools/bench-kernels.sh`.", "",
              "| kernel | time | throughput |", "| --- | --- | --- |"]
    for k in kernel_rows:
        lines.append(f"| {k['name']} | {fmt(k['ms'])} ms | {fmt(k['mpx_per_s'], 1)} MP/s |")
    return "\n".join(lines) + "\n"


def check_complete(analysis, threads, detection, peers, kernel_rows):
    """The smoke run's assertions: every section measured, every figure finite and positive."""
    figures = [r[k] for r in analysis for k in ("decode_s", "wall_s", "rss_mb")]
    # Not the memory figure: a kernel may refuse to reset the peak mark (the table says so).
    figures += [d[k] for d in detection for k in ("decode_ms_median", "detect_ms_median")]
    figures += [threads["one_thread_s"], threads["all_threads_s"], peers["needlescope"]["median_s_per_photo"],
                peers["needlescope"]["batch_s_per_photo"], peers["needlescope"]["median_detect_s_per_photo"],
                peers["needlescope"]["one_thread_batch_s_per_photo"]]
    figures += [p["median_detect_s_per_photo"] for p in peers["peers"].values()]
    figures += [k["ms"] for k in kernel_rows]
    problems = [f"figure {i} is {v}" for i, v in enumerate(figures) if v is None or not math.isfinite(v) or v <= 0]
    if set(peers["peers"]) != {"blob_log", "blob_dog", "SimpleBlobDetector"}:
        problems.append(f"peers measured: {sorted(peers['peers'])}")
    if len(kernel_rows) < 6:
        problems.append(f"only {len(kernel_rows)} kernels measured")
    return problems


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--smoke", action="store_true")
    ap.add_argument("--out", help="default: docs/benchmarks.md, or build/bench-smoke/benchmarks.md with --smoke")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--tune", default=os.path.join(build, "benchset", "tune"))
    ap.add_argument("--test", default=os.path.join(build, "benchset", "test"))
    args = ap.parse_args()
    repeat = 1 if args.smoke else args.repeat
    work = os.path.join(build, "bench-smoke" if args.smoke else "bench-images")
    if args.smoke:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    out = args.out or (os.path.join(work, "benchmarks.md") if args.smoke else os.path.join(root, "docs", "benchmarks.md"))

    paths = bench_images(SMOKE_SIZES if args.smoke else FULL_SIZES, work)
    floor = decode_floor(paths, repeat)
    analysis, threads = measure_analyze(paths, floor, repeat)
    detection = detection_floor(paths, repeat)
    if args.smoke:  # a tiny tune and test set of its own (the benchmark set is not built in CI)
        for name, seed in (("tune", 9100), ("test", 9200)):
            d = os.path.join(work, name)
            for scene in ("skin-treated", "skin-untreated"):
                run([needlescope, "synth", "-o", d, "-q", "--scene", scene, "--seed", str(seed), "--count", "2",
                     "--width", "384", "--height", "288"])
        args.tune, args.test = os.path.join(work, "tune"), os.path.join(work, "test")
    peers_json = os.path.join(work, "peers.json")
    subprocess.run([os.path.join(root, "tools", "bench-peers.py"), "--tune", args.tune, "--test", args.test,
                    "--json", peers_json] + (["--quick"] if args.smoke else []), check=True)
    peers = json.load(open(peers_json))
    kernel_rows = kernels(args.smoke)

    text = document(analysis, threads, detection, peers, kernel_rows, repeat, args.smoke)
    with open(out + ".tmp", "w") as f:
        f.write(text)
    os.replace(out + ".tmp", out)
    print(text)
    problems = check_complete(analysis, threads, detection, peers, kernel_rows)
    if problems:
        sys.exit("bench: incomplete: " + "; ".join(problems))


if __name__ == "__main__":
    main()
