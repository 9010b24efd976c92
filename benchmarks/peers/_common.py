"""Shared helpers for the peer scripts: reading the header, parsing options, writing the result.

Every peer answers the same question as `briefing query FILE --group-by ... --format csv`:
a header of the group-by columns then `value`, one row per group sorted by the keys, and the value
printed with full precision (integers without a trailing `.0`, as briefing prints them); a group
whose values are all missing has a NULL sum, printed as an empty field.
"""

from __future__ import annotations

import argparse
import csv
import math
import sys

DEFAULT_KEYS = ["region", "programme", "period", "metric"]
VALUE_COLUMN = "value"


def read_header(path: str) -> list[str]:
    """The column names of a CSV file (its first record)."""
    with open(path, newline="", encoding="utf-8") as handle:
        return next(csv.reader(handle))


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("file", help="the tidy CSV panel to read")
    p.add_argument("out", help="where to write the result as CSV ('-' for standard output, /dev/null to discard)")
    p.add_argument(
        "--group-by", default=",".join(DEFAULT_KEYS),
        help="comma-separated key columns (default: %(default)s)")
    p.add_argument(
        "--where", action="append", default=[], metavar="COL=VALUE",
        help="keep rows whose COL equals VALUE as text; repeatable (all must hold)")
    p.add_argument("--metric", help="shorthand for --where metric=NAME")
    return p


def keys_and_filters(args: argparse.Namespace, header: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Validated group-by columns and (column, value) equality filters."""
    keys = [k.strip() for k in args.group_by.split(",") if k.strip()]
    filters: list[tuple[str, str]] = []
    for item in args.where:
        column, sep, value = item.partition("=")
        if not sep:
            sys.exit(f"--where expects COL=VALUE, got {item!r}")
        filters.append((column.strip(), value))
    if args.metric is not None:
        filters.append(("metric", args.metric))
    for column in keys + [c for c, _ in filters] + [VALUE_COLUMN]:
        if column not in header:
            sys.exit(f"{args.file}: no column {column!r} (columns: {', '.join(header)})")
    if not keys:
        sys.exit("--group-by needs at least one column")
    if VALUE_COLUMN in keys:
        sys.exit("cannot group by the value column")
    return keys, filters


def format_value(value) -> str:
    """Full precision: integral values without `.0`, others as Python's shortest repr; NULL/NaN empty."""
    if value is None:
        return ""
    value = float(value)
    if math.isnan(value):
        return ""
    if value.is_integer() and abs(value) < 2.0**53:
        return str(int(value))
    return repr(value)


def format_key(key) -> str:
    if key is None:
        return ""
    if isinstance(key, float) and math.isnan(key):  # pandas' missing key
        return ""
    return str(key)


def write_result(out: str, keys: list[str], rows) -> int:
    """Writes `rows` (tuples of the keys then the sum, already sorted) as CSV; returns the row count."""
    handle = sys.stdout if out == "-" else open(out, "w", newline="", encoding="utf-8")
    count = 0
    try:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(keys + [VALUE_COLUMN])
        for row in rows:
            writer.writerow([format_key(k) for k in row[:-1]] + [format_value(row[-1])])
            count += 1
    finally:
        if handle is not sys.stdout:
            handle.close()
    return count
