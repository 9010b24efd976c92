#!/usr/bin/env python3
"""Polars peer: group-by sum over a tidy CSV panel, written as CSV.

    python3 polars_groupby.py FILE OUT [--group-by COL[,COL...]] [--where COL=VALUE]... [--metric NAME] [--engine auto|streaming|in-memory]

Lazy scan_csv with an explicit schema (`value` Float64, every other column String, so `period`
stays text) and one collect. Polars' sum() of a group whose values are all null is 0, not null, so
the sum is kept only where the group has at least one non-null value (count() > 0): such a group
prints an empty field, as briefing and DuckDB print it. Threads: Polars' pool (all cores; set
POLARS_MAX_THREADS to change).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

import polars as pl  # noqa: E402


def main() -> None:
    p = _common.parser(__doc__.splitlines()[1])
    p.add_argument("--engine", default="auto", choices=["auto", "streaming", "in-memory"],
                   help="Polars engine for collect (default: %(default)s, which is streaming in Polars 1.x+/2.x)")
    args = p.parse_args()
    header = _common.read_header(args.file)
    keys, filters = _common.keys_and_filters(args, header)

    schema = {c: (pl.Float64 if c == _common.VALUE_COLUMN else pl.String) for c in header}
    value = pl.col(_common.VALUE_COLUMN)
    frame = pl.scan_csv(args.file, schema=schema, has_header=True)
    for column, wanted in filters:
        frame = frame.filter(pl.col(column) == wanted)
    result = (
        frame.group_by(keys)
        .agg(pl.when(value.count() > 0).then(value.sum()).otherwise(None).alias("value"))
        .sort(keys)
        .collect(engine=args.engine)
    )
    _common.write_result(args.out, keys, result.iter_rows())


if __name__ == "__main__":
    main()
