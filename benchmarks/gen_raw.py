#!/usr/bin/env python3
"""Generate the "raw export" shape for the aggregation benchmark (SHAPE=raw in run.sh).

    python3 gen_raw.py OUT.csv [--rows 10000000] [--seed 2026] [--regions seeds/regions.csv]

Columns `region,programme,year,metric,value,unit`, records in random key order (each row's key is
drawn uniformly and independently), four key columns with 89 x 10 x 8 x 4 = 28,480 groups:
the 89 regions of seeds/regions.csv, 10 programmes, the years 2019-2026 and 4 metrics. `value`
is an integer for the count metrics and has two decimals for `funding`; about 1 row in 1,000 has
an empty value (missing). Deterministic for a given seed and row count.

Fast: rows are laid out as a zero-padded byte matrix with numpy, one chunk at a time, and the
padding is dropped before writing (10M rows, about 620 MB, in a few seconds).
"""

from __future__ import annotations

import argparse
import csv
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMMES = [
    "Professionalism", "Early Career Guidance", "Industrial Clusters",
    "Advanced Engineering Schools", "Campus Programme", "Alabuga Polytech",
    "Vocational Education", "TechnoInternship", "Corporate Training", "Regional Industry",
]
YEARS = [str(y) for y in range(2019, 2027)]
# metric, unit, decimals, upper bound of the value (exclusive, before decimals)
METRICS = [
    ("students_trained", "persons", 0, 5000),
    ("enterprises_participating", "count", 0, 200),
    ("funding", "RUB mln", 2, 100000),
    ("jobs_created", "count", 0, 3000),
]
CHUNK = 1_000_000
MISSING_RATE = 0.001


def csv_field(text: str) -> str:
    if any(c in text for c in ',"\n\r'):
        return '"' + text.replace('"', '""') + '"'
    return text


def padded(strings: list[bytes]) -> np.ndarray:
    """A (len, width) uint8 matrix of the strings, right-padded with zero bytes."""
    width = max(len(s) for s in strings)
    out = np.zeros((len(strings), width), dtype=np.uint8)
    for i, s in enumerate(strings):
        out[i, : len(s)] = np.frombuffer(s, dtype=np.uint8)
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("--rows", type=int, default=10_000_000)
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--regions", default=os.path.join(HERE, "..", "seeds", "regions.csv"))
    args = p.parse_args()
    if args.rows < 1:
        sys.exit("--rows must be positive")

    with open(args.regions, newline="", encoding="utf-8") as handle:
        regions = [row["name_en"] for row in csv.DictReader(handle)]
    if len(regions) != 89:
        print(f"gen_raw: note: {len(regions)} regions in {args.regions} (expected 89)", file=sys.stderr)

    # Key prefixes "region,programme,year,metric," in key order; key index = ((r*10+p)*8+y)*4+m.
    prefixes = [
        f"{csv_field(r)},{csv_field(pg)},{y},{m[0]},".encode()
        for r in regions for pg in PROGRAMMES for y in YEARS for m in METRICS
    ]
    groups = len(prefixes)
    prefix_matrix = padded(prefixes)
    units = padded([f",{m[1]}\n".encode() for m in METRICS])
    decimals = np.array([m[2] for m in METRICS])
    bounds = np.array([m[3] for m in METRICS])
    int_digits = len(str(int(bounds.max()) - 1))  # width of the integer part

    rng = np.random.default_rng(args.seed)
    zero = ord("0")
    with open(args.out, "wb") as out:
        out.write(b"region,programme,year,metric,value,unit\n")
        left = args.rows
        while left > 0:
            n = min(CHUNK, left)
            left -= n
            key = rng.integers(0, groups, n)
            metric = key % len(METRICS)
            whole = (rng.random(n) * bounds[metric]).astype(np.int64)
            cents = rng.integers(0, 100, n)
            missing = rng.random(n) < MISSING_RATE

            # Integer part: fixed-width digits, leading zeros (but the last) turned into padding.
            powers = 10 ** np.arange(int_digits - 1, -1, -1)
            digits = (whole[:, None] // powers[None, :]) % 10
            lead = np.cumsum(digits, axis=1) == 0
            lead[:, -1] = False
            int_part = (digits + zero).astype(np.uint8)
            int_part[lead] = 0
            # Fraction ".dd" only for metrics with decimals.
            frac = np.empty((n, 3), dtype=np.uint8)
            frac[:, 0] = ord(".")
            frac[:, 1] = cents // 10 + zero
            frac[:, 2] = cents % 10 + zero
            frac[decimals[metric] == 0] = 0
            value = np.concatenate([int_part, frac], axis=1)
            value[missing] = 0

            rows = np.concatenate([prefix_matrix[key], value, units[metric]], axis=1)
            flat = rows.reshape(-1)
            flat[flat != 0].tofile(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
