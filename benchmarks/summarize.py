#!/usr/bin/env python3
"""Turn benchmarks' raw runs (runs.tsv) into the Markdown results table.

    python3 summarize.py RUNS_TSV

runs.tsv columns: tool, rows, file_bytes, run, wall_s, user_s, sys_s, max_rss_kib, status.
For each (tool, rows): medians of wall, cpu (user + sys of each run) and peak RSS over the runs
whose status is ok; MB/s = file size (10^6 bytes) / median wall; "wall vs DuckDB" = the tool's
median wall / DuckDB's at the same rows (above 1 = slower than DuckDB).
"""

import csv
import statistics
import sys

ORDER = ["briefing", "duckdb", "polars", "pandas"]


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: summarize.py RUNS_TSV")
    groups: dict[tuple[str, int], dict] = {}
    with open(sys.argv[1], newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            key = (row["tool"], int(row["rows"]))
            g = groups.setdefault(key, {"bytes": int(row["file_bytes"]), "wall": [], "cpu": [], "rss": [], "failed": 0})
            if row["status"] != "ok":
                g["failed"] += 1
                continue
            g["wall"].append(float(row["wall_s"]))
            g["cpu"].append(float(row["user_s"]) + float(row["sys_s"]))
            g["rss"].append(int(row["max_rss_kib"]) / 1024)

    def order(key):
        tool, rows = key
        return (rows, ORDER.index(tool) if tool in ORDER else len(ORDER), tool)

    print("| tool | rows | file MB | wall s | cpu s | peak MiB | MB/s | wall vs DuckDB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for tool, rows in sorted(groups, key=order):
        g = groups[(tool, rows)]
        mb = g["bytes"] / 1e6
        if not g["wall"]:
            print(f"| {tool} | {rows:,} | {mb:.1f} | failed | | | | |")
            continue
        wall = statistics.median(g["wall"])
        cpu = statistics.median(g["cpu"])
        rss = statistics.median(g["rss"])
        duck = groups.get(("duckdb", rows))
        ratio = "n/a"
        if duck and duck["wall"]:
            ratio = f"{wall / statistics.median(duck['wall']):.2f}×"
        note = f" ({g['failed']} failed)" if g["failed"] else ""
        print(f"| {tool}{note} | {rows:,} | {mb:.1f} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {mb / wall:.0f} | {ratio} |")


if __name__ == "__main__":
    main()
