#!/usr/bin/env python3
"""Compare two group-by CSV outputs (briefing's and a peer's).

    python3 agree.py BRIEFING_CSV PEER_CSV [--rel-tol 1e-9]

Both files: a header of key columns then `value`, one row per group. Row order does not matter.
They agree when they have the same header, the same set of keys (no duplicates), and for every key
values equal within the relative tolerance: |a - b| <= tol * max(|a|, |b|); two empty values
(an all-missing group) are equal, an empty value and a number are not. Exits 0 when they agree,
1 when they disagree, 2 on a usage or format error.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys

SHOW = 10


def load(path: str) -> tuple[list[str], dict[tuple[str, ...], str]]:
    try:
        handle = sys.stdin if path == "-" else open(path, newline="", encoding="utf-8")
    except OSError as error:
        sys.exit(f"agree: cannot read {path}: {error.strerror}")
    with handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if not header:
            print(f"agree: {path} is empty (no header)", file=sys.stderr)
            sys.exit(2)
        if header[-1] != "value":
            print(f"agree: {path}: last column is {header[-1]!r}, expected 'value'", file=sys.stderr)
            sys.exit(2)
        rows: dict[tuple[str, ...], str] = {}
        for line, record in enumerate(reader, start=2):
            if not record:
                continue
            if len(record) != len(header):
                print(f"agree: {path}:{line}: {len(record)} fields, header has {len(header)}", file=sys.stderr)
                sys.exit(2)
            key = tuple(record[:-1])
            if key in rows:
                print(f"agree: {path}:{line}: duplicate key {','.join(key)}", file=sys.stderr)
                sys.exit(2)
            rows[key] = record[-1].strip()
    return header, rows


def number(text: str, path: str, key: tuple[str, ...]) -> float | None:
    if text == "":
        return None
    try:
        value = float(text)
    except ValueError:
        print(f"agree: {path}: value {text!r} for {','.join(key)} is not a number", file=sys.stderr)
        sys.exit(2)
    return None if math.isnan(value) else value


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("left", help="briefing's CSV (or any first file)")
    p.add_argument("right", help="the peer's CSV, e.g. DuckDB's")
    p.add_argument("--rel-tol", type=float, default=1e-9, help="relative tolerance (default: %(default)g)")
    args = p.parse_args()

    left_header, left = load(args.left)
    right_header, right = load(args.right)
    if left_header != right_header:
        print(f"DISAGREE: headers differ: {','.join(left_header)} vs {','.join(right_header)}")
        return 1

    failures = 0
    missing = sorted(k for k in right if k not in left)  # in the peer, not in the left file
    extra = sorted(k for k in left if k not in right)    # in the left file, not in the peer
    for keys, what in (
        (missing, f"missing from {args.left} (present in {args.right})"),
        (extra, f"extra in {args.left} (absent from {args.right})"),
    ):
        if keys:
            failures += len(keys)
            print(f"DISAGREE: {len(keys)} key(s) {what}; first {min(SHOW, len(keys))}:")
            for key in keys[:SHOW]:
                print("  " + ",".join(key))

    compared = 0
    max_rel = 0.0
    max_rel_key: tuple[str, ...] | None = None
    both_empty = 0
    mismatches: list[str] = []
    for key in sorted(left.keys() & right.keys()):
        compared += 1
        a = number(left[key], args.left, key)
        b = number(right[key], args.right, key)
        if a is None and b is None:
            both_empty += 1
            continue
        if a is None or b is None:
            mismatches.append(f"  {','.join(key)}: {left[key] or '(empty)'} vs {right[key] or '(empty)'}")
            continue
        scale = max(abs(a), abs(b))
        diff = abs(a - b)
        rel = 0.0 if diff == 0 else (math.inf if scale == 0 else diff / scale)
        if rel > max_rel:
            max_rel, max_rel_key = rel, key
        if diff > args.rel_tol * scale:
            mismatches.append(f"  {','.join(key)}: {left[key]} vs {right[key]} (relative difference {rel:.3g})")
    if mismatches:
        failures += len(mismatches)
        print(f"DISAGREE: {len(mismatches)} value(s) differ (beyond {args.rel_tol:g} relative, or empty vs number); first {min(SHOW, len(mismatches))}:")
        for line in mismatches[:SHOW]:
            print(line)

    where = f" at {','.join(max_rel_key)}" if max_rel_key else ""
    print(
        f"{'agree' if failures == 0 else 'DISAGREE'}: {compared} groups compared "
        f"({len(left)} in {args.left}, {len(right)} in {args.right}; {both_empty} empty in both), "
        f"max relative difference {max_rel:.3g}{where}")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
