#!/usr/bin/env bash
# Wall time of `briefing chart` from process start, for each chart kind, SVG, PNG and PDF, on
# seeds/panel.csv (a release build: .build/release/briefing). The goal: each under 50 ms.
#
#   bash benchmarks/chart.sh              # builds the release binary first
#   SKIP_BUILD=1 bash benchmarks/chart.sh
#
# Timing: hyperfine when it is on PATH (HYPERFINE=0 turns it off), else a loop of RUNS runs timed
# with `date +%s%N`; either way WARMUP runs first, and the table gives the median, min and max of
# the RUNS measured runs, and with hyperfine the mean CPU time (user + system). Wall time on a
# shared, loaded machine is noisy: CALLGRIND=1 (the default, when valgrind is installed) adds the
# instructions of one run under callgrind, which do not depend on the load. In the same run, when they happen to be installed (nothing is installed
# here), the same bar chart (students trained by region, 2025, top 10) drawn by a one-line
# matplotlib script (`python3 -c`) and by vl-convert from a Vega-Lite spec reading the same CSV.
#
# Environment: RUNS=20 WARMUP=3 HYPERFINE=1 CALLGRIND=1 FORMATS="svg png pdf" SKIP_BUILD=0
#   BENCH_DIR=/tmp/briefing-bench
#   BRIEFING=path/to/briefing (default .build/release/briefing of this repository)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
RUNS="${RUNS:-20}"
WARMUP="${WARMUP:-3}"
HYPERFINE="${HYPERFINE:-1}"
CALLGRIND="${CALLGRIND:-1}"
read -r -a formats <<<"${FORMATS:-svg png pdf}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"

build_briefing
"$BRIEFING" --help 2>/dev/null | grep -Eq '^[[:space:]]+chart([[:space:]]|$)' || die "$BRIEFING has no 'chart' subcommand"
panel="$root/seeds/panel.csv"
out="$BENCH_DIR/chart"
mkdir -p "$out"
results="$BENCH_DIR/chart-results.md"

# kind → the flags that make a chart of that kind from the panel.
declare -A flags=(
  [bar]="--by region --where period=2025 --top 10"
  [grouped]="--by programme --series period --where period=2023..2025"
  [stacked]="--by programme --series period --where period=2023..2025"
  [percent]="--by region --series programme --where period=2025 --top 8"
  [diverging]="--by region --where period=2025 --compare 2024 --top 12"
)
kinds=(bar grouped stacked percent diverging)

use_hyperfine=0
if [[ "$HYPERFINE" == 1 ]] && command -v hyperfine >/dev/null; then use_hyperfine=1; fi

use_callgrind=0
if [[ "$CALLGRIND" == 1 ]] && command -v valgrind >/dev/null && command -v objcopy >/dev/null; then
  use_callgrind=1
  # Valgrind 3.19 cannot read Swift 6.3's DWARF 5: callgrind runs a copy without debug sections.
  objcopy --strip-debug "$BRIEFING" "$out/briefing-nodebug"
fi

# instructions COMMAND...: the instructions (millions) of one run under callgrind, or "-".
instructions() {
  [[ "$use_callgrind" == 1 ]] || { echo "-"; return; }
  SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$out/callgrind.out" -q "$@" >/dev/null
  awk '/^(summary|totals):/ { printf "%.0f\n", $2 / 1e6; exit }' "$out/callgrind.out"
}

# measure NAME COMMAND: prints "median min max cpu" in milliseconds over RUNS runs after WARMUP
# (cpu: the mean of user + system, "-" without hyperfine).
measure() {
  local name="$1" command="$2"
  if [[ "$use_hyperfine" == 1 ]]; then
    hyperfine --style none --shell=none --warmup "$WARMUP" --runs "$RUNS" --export-json "$out/$name.json" "$command" \
      >/dev/null 2>"$out/$name.hyperfine.txt"
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print("%.1f %.1f %.1f %.1f" % (r["median"] * 1000, r["min"] * 1000, r["max"] * 1000, (r["user"] + r["system"]) * 1000))' "$out/$name.json"
  else
    local i start end times=()
    for ((i = 0; i < WARMUP; i++)); do bash -c "$command" >/dev/null; done
    for ((i = 0; i < RUNS; i++)); do
      start=$(date +%s%N)
      bash -c "exec $command" >/dev/null
      end=$(date +%s%N)
      times+=($(( (end - start) / 1000 )))
    done
    printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END {
      m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
      printf "%.1f %.1f %.1f -\n", m / 1000, a[1] / 1000, a[NR] / 1000 }'
  fi
}

timer="hyperfine $(hyperfine --version 2>/dev/null | awk '{print $2}')"
[[ "$use_hyperfine" == 1 ]] || timer="a loop timed with date +%s%N"
{
  echo "briefing chart on seeds/panel.csv ($(wc -c <"$panel") bytes), $RUNS runs after $WARMUP warm-up, timed by $timer."
  echo "Machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); binary: $BRIEFING"
  echo
  echo "| kind | format | median ms | min ms | max ms | cpu ms | M instructions | median under 50 ms |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- |"
} | tee "$results"
for kind in "${kinds[@]}"; do
  for format in "${formats[@]}"; do
    arguments="chart $panel --metric students_trained --kind $kind ${flags[$kind]} --out $out/$kind.$format"
    read -r median low high cpu < <(measure "$kind-$format" "$BRIEFING $arguments")
    # shellcheck disable=SC2086
    ir=$(instructions "$out/briefing-nodebug" $arguments)
    verdict=$(awk -v m="$median" 'BEGIN { print (m < 50) ? "yes" : "no" }')
    echo "| $kind | $format | $median | $low | $high | $cpu | $ir | $verdict |" | tee -a "$results"
  done
done

# The peers, only when installed.
peers=()
# The first Python that has matplotlib (a pyenv shim may shadow Debian's python3-matplotlib).
matplotlib_python=""
for candidate in python3 /usr/bin/python3; do
  if "$candidate" -c 'import matplotlib' 2>/dev/null; then matplotlib_python="$candidate"; break; fi
done
if [[ -n "$matplotlib_python" ]]; then
  script="import csv, matplotlib; matplotlib.use('Agg'); import matplotlib.pyplot as plt
t = {}
for r in csv.DictReader(open('$panel')):
    if r['metric'] == 'students_trained' and r['period'] == '2025' and r['value']:
        t[r['region']] = t.get(r['region'], 0) + float(r['value'])
top = sorted(t.items(), key=lambda kv: -kv[1])[:10][::-1]
plt.figure(figsize=(7.5, 4)); plt.barh([k for k, _ in top], [v for _, v in top]); plt.tight_layout(); plt.savefig('$out/matplotlib.svg')"
  printf '%s\n' "$script" >"$out/matplotlib_bar.py"
  peers+=("matplotlib bar ($matplotlib_python script)|$matplotlib_python $out/matplotlib_bar.py")
fi
if command -v vl-convert >/dev/null; then
  cat >"$out/bar.vl.json" <<EOF
{"\$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"url": "$panel"},
 "transform": [{"filter": "datum.metric == 'students_trained' && datum.period == 2025"},
   {"aggregate": [{"op": "sum", "field": "value", "as": "total"}], "groupby": ["region"]},
   {"window": [{"op": "row_number", "as": "rank"}], "sort": [{"field": "total", "order": "descending"}]},
   {"filter": "datum.rank <= 10"}],
 "mark": "bar", "encoding": {"y": {"field": "region", "sort": "-x"}, "x": {"field": "total", "type": "quantitative"}}}
EOF
  peers+=("vl-convert bar (vl2svg)|vl-convert vl2svg --input $out/bar.vl.json --output $out/vl-convert.svg --allowed-base-url $root")
fi
if [[ ${#peers[@]} -gt 0 ]]; then
  { echo; echo "| peer, same bar chart | median ms | min ms | max ms | cpu ms |"; echo "| --- | ---: | ---: | ---: | ---: |"; } | tee -a "$results"
  for peer in "${peers[@]}"; do
    read -r median low high cpu < <(measure "peer" "${peer#*|}")
    echo "| ${peer%%|*} | $median | $low | $high | $cpu |" | tee -a "$results"
  done
else
  echo -e "\nNo peer to compare with: neither matplotlib (python3) nor vl-convert is installed." | tee -a "$results"
fi
say "results in $results, charts in $out/"
