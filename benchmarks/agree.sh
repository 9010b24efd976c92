#!/usr/bin/env bash
# Check that `briefing query` gives the same answers as DuckDB on a generated panel.
#
#   bash benchmarks/agree.sh [ROWS]             # default: 1000000
#   SHAPE=raw bash benchmarks/agree.sh [ROWS]   # the raw-export shape (gen_raw.py; see run.sh)
#
# Builds the release binary (unless SKIP_BUILD=1), generates $BENCH_DIR/panel-ROWS.csv if needed,
# and compares two queries with agree.py (same keys; values within 1e-9 relative; empty = empty):
#   1. briefing query FILE --group-by region,programme,period,metric --format csv
#      vs duckdb_groupby.py FILE OUT                       (the benchmark query)
#   2. briefing query FILE --metric funding --group-by region --format csv
#      vs duckdb_groupby.py FILE OUT --where metric=funding --group-by region
# With SHAPE=raw the file is $BENCH_DIR/raw-ROWS.csv and the first query groups by
# region,programme,year,metric (that shape has `year`, not `period`); the second is the same, and a
# third checks a filter on a key column:
#   3. briefing query FILE --where year=2024 --group-by programme,metric --format csv
#      vs duckdb_groupby.py FILE OUT --where year=2024 --group-by programme,metric
# Exits non-zero if either disagrees. Environment: SHAPE, BENCH_DIR, SKIP_BUILD, BRIEFING, PYTHON (see run.sh).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"

[[ $# -le 1 ]] || die "usage: bash benchmarks/agree.sh [ROWS]"
rows="${1:-1000000}"
[[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$rows'"

SHAPE="${SHAPE:-panel}"
case "$SHAPE" in
  panel) keys=region,programme,period,metric; out="$BENCH_DIR/agree" ;;
  raw) keys=region,programme,year,metric; out="$BENCH_DIR/agree-raw" ;;
  *) die "unknown SHAPE '$SHAPE' (expected panel or raw)" ;;
esac

require_python_modules duckdb
[[ "$SHAPE" == raw ]] && require_python_modules numpy
build_briefing
require_query
ensure_data "$SHAPE" "$rows"
file="$(data_for "$SHAPE" "$rows")"
mkdir -p "$out"

failed=0
# check NAME "BRIEFING ARGS" "DUCKDB ARGS": runs both, then agree.py.
check() {
  local name="$1" briefing_args duckdb_args
  read -r -a briefing_args <<<"$2"
  read -r -a duckdb_args <<<"$3"
  say "$name: briefing query $(basename "$file") ${briefing_args[*]} --format csv"
  if ! "$BRIEFING" query "$file" "${briefing_args[@]}" --format csv >"$out/$name-briefing.csv"; then
    echo "FAIL $name: briefing query exited non-zero"
    failed=1
    return
  fi
  say "$name: duckdb_groupby.py $(basename "$file") ${duckdb_args[*]}"
  "$PYTHON" "$here/peers/duckdb_groupby.py" "$file" "$out/$name-duckdb.csv" "${duckdb_args[@]}" \
    || die "the DuckDB peer failed"
  if "$PYTHON" "$here/agree.py" "$out/$name-briefing.csv" "$out/$name-duckdb.csv"; then
    echo "PASS $name"
  else
    echo "FAIL $name"
    failed=1
  fi
}

check groupby-4-keys "--group-by $keys" "--group-by $keys"
check funding-by-region "--metric funding --group-by region" "--where metric=funding --group-by region"
queries=2
if [[ "$SHAPE" == raw ]]; then
  check year-2024-by-programme-metric "--where year=2024 --group-by programme,metric" "--where year=2024 --group-by programme,metric"
  queries=3
fi

if [[ $failed -ne 0 ]]; then
  echo "agree.sh: briefing and DuckDB disagree on $file (outputs in $out)"
  exit 1
fi
echo "agree.sh: briefing and DuckDB agree on $file ($queries queries; outputs in $out)"
