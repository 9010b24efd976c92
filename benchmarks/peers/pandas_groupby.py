#!/usr/bin/env python3
"""pandas peer: group-by sum over a tidy CSV panel, written as CSV.

    python3 pandas_groupby.py FILE OUT [--group-by COL[,COL...]] [--where COL=VALUE]... [--metric NAME] [--usecols]

read_csv with the default C engine, every column read (as briefing reads them): `value` float64,
every other column dtype str (so `period` stays text). groupby(..., sort=True, dropna=False) and
sum(min_count=1): pandas' plain sum() of an all-NaN group is 0, min_count=1 makes it NaN, printed
as an empty field as briefing and DuckDB print it. --usecols reads only the key, filter and value
columns (an optimisation a pandas user might make; not the default, which reads every column).
Single-threaded.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

import pandas as pd  # noqa: E402


def main() -> None:
    p = _common.parser(__doc__.splitlines()[1])
    p.add_argument("--usecols", action="store_true", help="read only the columns the query needs")
    args = p.parse_args()
    header = _common.read_header(args.file)
    keys, filters = _common.keys_and_filters(args, header)

    dtype = {c: ("float64" if c == _common.VALUE_COLUMN else str) for c in header}
    usecols = None
    if args.usecols:
        needed = set(keys) | {c for c, _ in filters} | {_common.VALUE_COLUMN}
        usecols = [c for c in header if c in needed]
        dtype = {c: t for c, t in dtype.items() if c in needed}
    # Only an empty `value` is missing (briefing's rule): no "NA"/"null"/... sentinels, and empty
    # text keys stay "" rather than NaN.
    frame = pd.read_csv(
        args.file, engine="c", dtype=dtype, usecols=usecols,
        keep_default_na=False, na_values={_common.VALUE_COLUMN: [""]})
    for column, wanted in filters:
        frame = frame[frame[column] == wanted]
    sums = frame.groupby(keys, sort=True, dropna=False)[_common.VALUE_COLUMN].sum(min_count=1)
    rows = (
        (*(index if isinstance(index, tuple) else (index,)), total)
        for index, total in sums.items()
    )
    _common.write_result(args.out, keys, rows)


if __name__ == "__main__":
    main()
