#!/usr/bin/python3
"""The benchmarks of issues 8 and 5, in one run: writes docs/benchmarks.md (called by tools/bench.sh).

usage: tools/bench.py [--smoke] [--out FILE] [--repeat N]

1. Floor: plain cv::imread of each benchmark JPEG (build/bench/decode_floor, in-process
   median) at 1, 4, 12 and 24 MP.
2. `needlescope analyze` on the same JPEGs, as a user runs it (default options, every output
   written): median wall time of --repeat runs, time per MP, ratio to decoding, peak RSS
   (/usr/bin/time), and the speed-up from --threads 1 to all cores on the largest image
   (runs of each taken in turn).
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

FULL_SIZES = [(1152, 864), (2304, 1728), (4000, 3000), (6000, 4000)]  # 1, 4, 12, 24 MP
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


def measure_analyze(paths, floor, repeat):
    rows = []
    for path, f in zip(paths, floor):
        wall, rss = timed_analyze(path, [], repeat)
        decoded_mb = f["width"] * f["height"] * 3 / 2**20
        rows.append({"megapixels": f["megapixels"], "decode_s": f["decode_ms_median"] / 1000, "wall_s": wall,
                     "rss_mb": rss, "decoded_mb": decoded_mb, "rss_limit_mb": 4 * decoded_mb + 150})
        print(f"bench: analyze {f['megapixels']:.1f} MP: {wall:.2f} s, {rss:.0f} MB", file=sys.stderr)
    # The thread speed-up from runs taken in turn (one thread, then all), so that the
    # machine's drift over minutes falls on both alike; medians of each.
    one_walls, all_walls = [], []
    for _ in range(max(5, repeat)):
        one_walls.append(timed_analyze(paths[-1], ["--threads", "1"], 1)[0])
        all_walls.append(timed_analyze(paths[-1], [], 1)[0])
    one_thread, all_threads = statistics.median(one_walls), statistics.median(all_walls)
    # The same without the three full-size PNGs, to show what the pictures cost (not a target).
    no_pictures, no_pictures_rss = timed_analyze(paths[-1], ["--pictures", "none"], repeat)
    return rows, {"megapixels": floor[-1]["megapixels"], "one_thread_s": one_thread,
                  "all_threads_s": all_threads, "thread_runs": len(one_walls), "cores": os.cpu_count(),
                  "no_pictures_s": no_pictures, "no_pictures_rss_mb": no_pictures_rss}


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
    biggest = analysis[-1]
    per_mp = [r["wall_s"] / r["megapixels"] for r in analysis]
    speedup = threads["one_thread_s"] / threads["all_threads_s"]
    lines += ["## Targets", "", "| target | figure | |", "| --- | --- | --- |",
              f"| `analyze` of a {biggest['megapixels']:.1f} MP JPEG, default options, ≤ 3 × decoding it | "
              f"{biggest['wall_s'] / biggest['decode_s']:.1f} × | {verdict(biggest['wall_s'] <= 3 * biggest['decode_s'])} |",
              f"| speed-up from 1 to {threads['cores']} threads ≥ 1.7 × | {speedup:.2f} × | {verdict(speedup >= 1.7)} |",
              f"| peak RSS at {biggest['megapixels']:.1f} MP ≤ 4 × decoded size + 150 MB = {biggest['rss_limit_mb']:.0f} MB | "
              f"{biggest['rss_mb']:.0f} MB | {verdict(biggest['rss_mb'] <= biggest['rss_limit_mb'])} |"]
    big_detect = detection[-1]
    detect_ratio = big_detect["detect_ms_median"] / big_detect["decode_ms_median"]
    lines.append(f"| issue 5: detection of a {big_detect['megapixels']:.1f} MP JPEG ≤ about 2 × decoding it, same cores | "
                 f"{detect_ratio:.1f} × | {verdict(detect_ratio <= 2)} |")
    memory = f"| issue 5: detection's own memory ≤ a few ({FEW_PLANES}) full-size float planes at {big_detect['megapixels']:.1f} MP | "
    if big_detect["detect_peak_extra_mb"] is None:
        lines.append(memory + "not measured (the kernel refused to reset the peak RSS mark) | |")
    else:
        planes = big_detect["detect_peak_extra_mb"] / big_detect["float_plane_mb"]
        lines.append(memory + f"{planes:.2f} planes ({big_detect['detect_peak_extra_mb']:.0f} MB) | {verdict(planes <= FEW_PLANES)} |")
    blob_log = peers["peers"].get("blob_log")
    ours = peers["needlescope"]
    if blob_log:
        ratio = blob_log["median_detect_s_per_photo"] / ours["batch_s_per_photo"]
        like = blob_log["median_detect_s_per_photo"] / ours["median_detect_s_per_photo"]
        lines.append(f"| ≥ 20 × faster than `blob_log` (its detection call vs. our whole `analyze` per photo "
                     f"in a batch; detection stage in brackets) | {ratio:.1f} × ({like:.1f} ×) | {verdict(ratio >= 20)} |")
    best_peer = max(p["score"]["f1"] for p in peers["peers"].values())
    lines += [f"| higher F1 than every peer | {ours['score']['f1']:.3f} vs. best peer {best_peer:.3f} | "
              f"{verdict(ours['score']['f1'] > best_peer)} |",
              f"| time per MP flat from {analysis[0]['megapixels']:.1f} to {biggest['megapixels']:.1f} MP | "
              f"largest / smallest = {max(per_mp) / min(per_mp):.2f} (the fixed cost of a process — start-up about 0.1 s — weighs on the smallest) | |", ""]

    lines += ["## 1–2. Decoding floor and `needlescope analyze`", "",
              "Synthetic treated-skin photos (`needlescope synth --scene skin-treated`, JPEG quality "
              f"{IMAGE_QUALITY}). Decoding: `cv::imread` in one process, median of repeated runs "
              "(`build/bench/decode_floor`). `analyze`: the whole process with default options and every "
              "output written (JSON, CSV, three PNGs), wall time and peak RSS from `/usr/bin/time`.", "",
              "| image | decode | analyze | analyze per MP | analyze / decode | peak RSS | RSS limit (4 × decoded + 150 MB) |",
              "| --- | --- | --- | --- | --- | --- | --- |"]
    for r in analysis:
        lines.append(f"| {r['megapixels']:.1f} MP | {r['decode_s'] * 1000:.0f} ms | {r['wall_s']:.2f} s | "
                     f"{r['wall_s'] / r['megapixels'] * 1000:.0f} ms | {r['wall_s'] / r['decode_s']:.1f} × | "
                     f"{r['rss_mb']:.0f} MB | {r['rss_limit_mb']:.0f} MB |")
    lines += ["", f"Threads, {threads['megapixels']:.1f} MP, {threads['thread_runs']} runs of each taken in turn: "
              f"`--threads 1` {threads['one_thread_s']:.2f} s, all {threads['cores']} cores "
              f"{threads['all_threads_s']:.2f} s (medians): speed-up {speedup:.2f} ×.", "",
              f"Without the pictures (`--pictures none`: JSON and CSV only), {threads['megapixels']:.1f} MP: "
              f"{threads['no_pictures_s']:.2f} s, {threads['no_pictures_s'] / biggest['decode_s']:.1f} × decoding, "
              f"peak RSS {threads['no_pictures_rss_mb']:.0f} MB — what the three PNGs cost, for the decision on "
              "pictures at reduced size or on request ([performance.md](performance.md)).", ""]

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
              "detection, redness, uniformity, every output written; the model loaded once); then one process "
              "per photo (start-up and model loading included); then its detection stage, like for like (timed while redness runs beside it). "
              "How the peers were run and tuned: `tools/bench-peers.py`.", "",
              "| tool | parameters (chosen on the tune set) | F1 (P, R) | untreated FP/MP | time per photo |",
              "| --- | --- | --- | --- | --- |"]
    s = ours["score"]
    lines.append(f"| needlescope `analyze` (forest, calibrated camera) | defaults | {s['f1']:.3f} ({s['precision']:.3f}, "
                 f"{s['recall']:.3f}) | {fmt(s['untreated_fp_per_mp'], 1)} | batch {ours['batch_s_per_photo'] * 1000:.0f} ms; "
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
                peers["needlescope"]["batch_s_per_photo"], peers["needlescope"]["median_detect_s_per_photo"]]
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
