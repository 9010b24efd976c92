#!/usr/bin/env bash
# Benchmark `briefing query` against DuckDB, Polars and pandas on the same group-by-sum.
#
#   bash benchmarks/run.sh [ROWS...]            # default: 1000000 10000000
#   SHAPE=raw bash benchmarks/run.sh [ROWS...]  # the raw-export shape; default: 10000000
#
# Builds the release binary of the repository this script sits in, generates the panels
# (`briefing seed panel --rows N`) into $BENCH_DIR, warms the page cache, then for each file and
# each tool runs WARMUP warm-up + RUNS measured runs under /usr/bin/time, and prints a Markdown
# table of medians. Raw numbers go to $BENCH_DIR/runs.tsv, the report to $BENCH_DIR/results.md.
#
# Shapes (SHAPE=...):
#   panel (default)  `briefing seed panel --rows N`: 10 columns, sorted keys, 7,703 groups; query
#                    --group-by region,programme,period,metric; files panel-N.csv
#   raw              `gen_raw.py --rows N`: a raw export, region,programme,year,metric,value,unit in
#                    random key order, 28,480 groups (89 x 10 x 8 x 4); query
#                    --group-by region,programme,year,metric; files raw-N.csv, and the report in
#                    results-raw.md / runs-raw.tsv / out/TOOL-raw-N.csv
#
# Environment:
#   BENCH_DIR=/tmp/briefing-bench   scratch folder (panels, outputs, runs.tsv, results.md); reused
#   RUNS=5 WARMUP=1                 measured and warm-up runs per tool and file
#   TOOLS="briefing duckdb polars pandas"   which tools to run
#   SKIP_PANDAS_10M=1               skip pandas on files of 10,000,000 rows or more
#   SKIP_BUILD=1                    do not run `swift build` (use an existing binary)
#   BRIEFING=/path/to/briefing      the binary to use (default: .build/release/briefing)
#   PYTHON=python3                  the interpreter with duckdb, polars, pandas installed
#   SHAPE=panel                     panel or raw (above)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
TOOLS="${TOOLS:-briefing duckdb polars pandas}"
SKIP_PANDAS_10M="${SKIP_PANDAS_10M:-0}"
SHAPE="${SHAPE:-panel}"
case "$SHAPE" in
  panel) QUERY_ARGS=(--group-by region,programme,period,metric); default_rows=(1000000 10000000); sfx="" ;;
  raw) QUERY_ARGS=(--group-by region,programme,year,metric); default_rows=(10000000); sfx="-raw" ;;
  *) die "unknown SHAPE '$SHAPE' (expected panel or raw)" ;;
esac

if [[ $# -gt 0 ]]; then rows_list=("$@"); else rows_list=("${default_rows[@]}"); fi

for rows in "${rows_list[@]}"; do
  [[ "$rows" =~ ^[1-9][0-9]*$ ]] || die "ROWS must be positive integers, got '$rows'"
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"

# --- prerequisites -----------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
  die "/usr/bin/time (GNU time) is missing: install it with 'apt-get update && apt-get install -y time'"
fi
modules=()
for tool in $TOOLS; do
  case "$tool" in
    briefing) ;;
    duckdb | polars) modules+=("$tool") ;;
    pandas) modules+=(pandas pyarrow) ;;
    *) die "unknown tool '$tool' in TOOLS (expected: briefing duckdb polars pandas)" ;;
  esac
done
[[ "$SHAPE" == raw ]] && modules+=(numpy)
[[ ${#modules[@]} -gt 0 ]] && require_python_modules "${modules[@]}"

# --- build --------------------------------------------------------------------------------------
build_briefing
if [[ " $TOOLS " == *" briefing "* ]]; then
  require_query "Run the peers only with: TOOLS='duckdb polars pandas' bash $0 ${rows_list[*]}"
fi
mkdir -p "$BENCH_DIR/out"

# --- data ---------------------------------------------------------------------------------------
for rows in "${rows_list[@]}"; do ensure_data "$SHAPE" "$rows"; done

# --- one timed run ------------------------------------------------------------------------------
# command_for TOOL FILE OUT: the command line, as an array in $cmd. Every tool writes its CSV to OUT.
command_for() {
  local tool="$1" file="$2" out="$3"
  case "$tool" in
    briefing) cmd=("$BRIEFING" query "$file" "${QUERY_ARGS[@]}" --format csv) ;;
    *) cmd=("$PYTHON" "$here/peers/${tool}_groupby.py" "$file" "$out" "${QUERY_ARGS[@]}") ;;
  esac
}

# timed TOOL FILE OUT: runs the tool once under /usr/bin/time; sets $measure to "wall user sys maxrss_kib".
timed() {
  local tool="$1" file="$2" out="$3" stdout_to
  command_for "$tool" "$file" "$out"
  stdout_to=/dev/null
  [[ "$tool" == briefing ]] && stdout_to="$out"
  if ! /usr/bin/time -f '%e %U %S %M' -o "$BENCH_DIR/time.txt" "${cmd[@]}" >"$stdout_to" 2>"$BENCH_DIR/stderr.txt"; then
    printf 'run.sh: %s failed on %s:\n' "$tool" "$file" >&2
    tail -n 20 "$BENCH_DIR/stderr.txt" >&2
    return 1
  fi
  measure="$(tail -n 1 "$BENCH_DIR/time.txt")"
}

# --- runs ---------------------------------------------------------------------------------------
runs_tsv="$BENCH_DIR/runs$sfx.tsv"
printf 'tool\trows\tfile_bytes\trun\twall_s\tuser_s\tsys_s\tmax_rss_kib\tstatus\n' >"$runs_tsv"

for rows in "${rows_list[@]}"; do
  file="$(data_for "$SHAPE" "$rows")"
  bytes="$(stat -c %s "$file")"
  say "warming the page cache with $file ($((bytes / 1000000)) MB)"
  cat "$file" >/dev/null
  for tool in $TOOLS; do
    if [[ "$tool" == pandas && "$SKIP_PANDAS_10M" == 1 && "$rows" -ge 10000000 ]]; then
      say "skipping pandas on $rows rows (SKIP_PANDAS_10M=1)"
      continue
    fi
    # The warm-up runs keep their output (for the agreement check below); measured runs discard it.
    for ((i = 1; i <= WARMUP; i++)); do
      say "$tool, $rows rows: warm-up $i/$WARMUP"
      timed "$tool" "$file" "$BENCH_DIR/out/$tool$sfx-$rows.csv" || { printf '%s\t%s\t%s\twarmup\t\t\t\t\tfailed\n' "$tool" "$rows" "$bytes" >>"$runs_tsv"; continue 2; }
    done
    for ((i = 1; i <= RUNS; i++)); do
      if timed "$tool" "$file" /dev/null; then
        read -r wall user sys rss <<<"$measure"
        say "$tool, $rows rows: run $i/$RUNS: wall ${wall}s user ${user}s sys ${sys}s peak $((rss / 1024)) MiB"
        printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\tok\n' "$tool" "$rows" "$bytes" "$i" "$wall" "$user" "$sys" "$rss" >>"$runs_tsv"
      else
        printf '%s\t%s\t%s\t%s\t\t\t\t\tfailed\n' "$tool" "$rows" "$bytes" "$i" >>"$runs_tsv"
      fi
    done
  done
done

# --- report -------------------------------------------------------------------------------------
python_version() { "$PYTHON" -c "import $1; print($1.__version__)" 2>/dev/null || echo "not installed"; }
results="$BENCH_DIR/results$sfx.md"
{
  echo "## Results ($(date -u '+%Y-%m-%d %H:%M UTC'))"
  echo
  echo "Shape: $SHAPE ($(basename "$(data_for "$SHAPE" "${rows_list[0]}")") ...). Query: ${QUERY_ARGS[*]}; sum(value); CSV output discarded."
  echo "Medians of $RUNS runs after $WARMUP warm-up, page cache warm. MB = 10^6 bytes; MB/s = file MB / median wall;"
  echo "cpu = user + sys; peak = maximum resident set size. Python peers include interpreter start-up and imports."
  echo
  "$PYTHON" "$here/summarize.py" "$runs_tsv"
  echo
  echo "### Machine"
  echo
  echo "- cores (nproc): $(nproc)"
  echo "- CPU: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "- memory: $(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- kernel: $(uname -sr)"
  echo
  echo "### Versions"
  echo
  echo "- briefing: $("$BRIEFING" --version 2>/dev/null || echo unknown) ($BRIEFING)"
  echo "- swift: $(swift --version 2>/dev/null | grep -m1 -o 'Swift version [^ ]*' || echo unknown)"
  echo "- python: $("$PYTHON" -c 'import platform; print(platform.python_version())')"
  for module in duckdb polars pandas pyarrow numpy; do
    echo "- $module: $(python_version "$module")"
  done
  echo "- GNU time: $(dpkg-query -W -f='${Version}' time 2>/dev/null || /usr/bin/time --version 2>&1 | head -n 1)"
} >"$results"

# Context for small files: what a Python peer pays before reading a byte (median of RUNS runs).
{
  echo
  echo "### Python start-up (\`$PYTHON -c 'import MODULE'\`, median wall of $RUNS runs)"
  echo
  for tool in $TOOLS; do
    [[ "$tool" == briefing ]] && continue
    walls=()
    for ((i = 1; i <= RUNS; i++)); do
      /usr/bin/time -f '%e' -o "$BENCH_DIR/time.txt" "$PYTHON" -c "import $tool" 2>/dev/null
      walls+=("$(tail -n 1 "$BENCH_DIR/time.txt")")
    done
    echo "- $tool: $(printf '%s\n' "${walls[@]}" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}') s"
  done
} >>"$results"

# Sanity check, not timed: every tool's warm-up output against DuckDB's.
{
  echo
  echo "### Agreement with DuckDB (warm-up outputs)"
  echo
  for rows in "${rows_list[@]}"; do
    reference="$BENCH_DIR/out/duckdb$sfx-$rows.csv"
    for tool in $TOOLS; do
      output="$BENCH_DIR/out/$tool$sfx-$rows.csv"
      [[ "$tool" == duckdb || ! -s "$output" || ! -s "$reference" ]] && continue
      echo "- $tool, $rows rows: $("$PYTHON" "$here/agree.py" "$output" "$reference" 2>&1 | tail -n 1)"
    done
  done
} >>"$results"

cat "$results"
say "raw runs: $runs_tsv; report: $results"
