#!/usr/bin/env python3
"""DuckDB peer: group-by sum over a tidy CSV panel, written as CSV.

    python3 duckdb_groupby.py FILE OUT [--group-by COL[,COL...]] [--where COL=VALUE]... [--metric NAME] [--threads N]

Defaults to the benchmark query: GROUP BY region, programme, period, metric; SUM(value).
Columns are typed as briefing types them: `value` DOUBLE, every other column VARCHAR (so
`period` stays text, e.g. '2022'); an empty `value` is NULL, and SUM over a group with only
NULLs is NULL (printed as an empty field). Threads: all cores unless --threads is given.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

import duckdb  # noqa: E402


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main() -> None:
    p = _common.parser(__doc__.splitlines()[1])
    p.add_argument("--threads", type=int, help="DuckDB threads (default: all cores)")
    args = p.parse_args()
    header = _common.read_header(args.file)
    keys, filters = _common.keys_and_filters(args, header)

    con = duckdb.connect(":memory:")
    if args.threads:
        con.execute(f"SET threads = {int(args.threads)}")
    # Explicit types for every column: no type sniffing, and keys are compared as text.
    types = ", ".join(
        f"'{c.replace(chr(39), chr(39) * 2)}': '{'DOUBLE' if c == _common.VALUE_COLUMN else 'VARCHAR'}'"
        for c in header)
    source = f"read_csv(?, header = true, delim = ',', quote = '\"', types = {{{types}}})"
    key_list = ", ".join(quote_ident(k) for k in keys)
    where = ""
    params: list[object] = [args.file]
    if filters:
        where = " WHERE " + " AND ".join(f"{quote_ident(c)} = ?" for c, _ in filters)
        params += [v for _, v in filters]
    sql = (
        f"SELECT {key_list}, SUM({quote_ident(_common.VALUE_COLUMN)}) AS value "
        f"FROM {source}{where} GROUP BY {key_list} ORDER BY {key_list}")
    rows = con.execute(sql, params).fetchall()
    _common.write_result(args.out, keys, rows)


if __name__ == "__main__":
    main()
