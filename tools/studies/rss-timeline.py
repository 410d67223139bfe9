#!/usr/bin/python3
"""Resident memory of a command over time, to see which stage sets the peak.

usage: tools/studies/rss-timeline.py [--every-ms 10] -- COMMAND...

Polls /proc/PID/status (VmRSS) of the command every few milliseconds and prints one line
per 100 ms: elapsed time, RSS in MB, and a bar; then the peak and when it was reached. Run
the command with -v to get its stage timings beside this.
"""
import argparse
import subprocess
import sys
import time


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return None
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--every-ms", type=float, default=5)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command and args.command[0] == "--" else args.command
    start = time.monotonic()
    proc = subprocess.Popen(command)
    samples = []
    while proc.poll() is None:
        mb = rss_mb(proc.pid)
        if mb is not None:
            samples.append((time.monotonic() - start, mb))
        time.sleep(args.every_ms / 1000)
    if not samples:
        sys.exit("no samples")
    next_print = 0.0
    for t, mb in samples:
        if t >= next_print:
            window = [m for s, m in samples if next_print <= s < next_print + 0.1]
            top = max(window) if window else mb
            print(f"{t:6.2f} s {top:7.1f} MB " + "#" * int(top / 10))
            next_print += 0.1
    t_peak, peak = max(samples, key=lambda s: s[1])
    print(f"peak {peak:.1f} MB at {t_peak:.2f} s of {samples[-1][0]:.2f} s")
    sys.exit(proc.returncode)


if __name__ == "__main__":
    main()
