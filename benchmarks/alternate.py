#!/usr/bin/env python3
"""Wall-time ratios on a noisy machine: runs briefing binaries and DuckDB in turn, round by round.

    python3 alternate.py FILE [--rounds 7] [--briefing LABEL=PATH]... [--no-duckdb] [--threads N]

Each round runs every briefing binary (`query FILE --group-by ... --format csv > /dev/null`) and
then `peers/duckdb_groupby.py FILE /dev/null` with the same keys, so a slow spell of the machine
slows every tool of that round alike. The first round is a warm-up and is not counted. Prints,
per tool, the median wall, cpu (user + sys) and peak RSS, and the median of the per-round ratios
wall / DuckDB's wall (besides the ratio of medians). The keys are the file's shape: `period` in
the panel, `year` in a raw export. EXTRA arguments go to briefing only (e.g. `--threads 1`).
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def timed(cmd: list[str]) -> tuple[float, float, int]:
    """Runs cmd with stdout to /dev/null; returns wall s, user + sys s, peak RSS KiB."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        proc = subprocess.Popen(cmd, stdout=null)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    if status != 0:
        sys.exit(f"alternate.py: {' '.join(cmd)} failed ({status})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("file")
    p.add_argument("--rounds", type=int, default=7, help="rounds, the first a warm-up (default 7)")
    p.add_argument("--briefing", action="append", default=[], metavar="LABEL=PATH")
    p.add_argument("--no-duckdb", action="store_true")
    p.add_argument("--threads", help="briefing's --threads (DuckDB keeps all cores)")
    args = p.parse_args()
    with open(args.file, encoding="utf-8") as f:
        header = f.readline().strip().split(",")
    keys = ",".join(["region", "programme", "year" if "year" in header else "period", "metric"])
    binaries = [b.split("=", 1) for b in args.briefing] or [["briefing", os.path.join(HERE, "..", ".build/release/briefing")]]
    tools = [(label, [path, "query", args.file, "--group-by", keys, "--format", "csv", *(["--threads", args.threads] if args.threads else [])]) for label, path in binaries]
    if not args.no_duckdb:
        tools.append(("duckdb", [sys.executable, os.path.join(HERE, "peers/duckdb_groupby.py"), args.file, os.devnull, "--group-by", keys]))
    with open(args.file, "rb") as f:  # warm the page cache
        while f.read(1 << 24):
            pass
    runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _ in tools}
    for r in range(args.rounds):
        for label, cmd in tools:
            m = timed(cmd)
            if r > 0:
                runs[label].append(m)
        walls = "  ".join(f"{label} {runs[label][-1][0]:.2f}s" for label, _ in tools if r > 0)
        print(f"round {r}{' (warm-up)' if r == 0 else ''}: {walls}", file=sys.stderr)
    print(f"{os.path.basename(args.file)}, {args.rounds - 1} rounds; load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}")
    print("| tool | wall s (median) | wall range | cpu s | peak MiB | wall vs DuckDB (median of rounds) |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for label, _ in tools:
        walls = [m[0] for m in runs[label]]
        ratio = ""
        if "duckdb" in runs and label != "duckdb":
            ratio = f"{statistics.median(m[0] / d[0] for m, d in zip(runs[label], runs['duckdb'])):.2f}×"
        elif label == "duckdb":
            ratio = "1.00×"
        print(f"| {label} | {statistics.median(walls):.2f} | {min(walls):.2f}–{max(walls):.2f} | "
              f"{statistics.median(m[1] for m in runs[label]):.2f} | {statistics.median(m[2] for m in runs[label]) / 1024:.0f} | {ratio} |")


if __name__ == "__main__":
    main()
