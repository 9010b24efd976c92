#!/usr/bin/env bash
# Measure `briefing build` of whole layouts: callgrind instruction counts, the share of them spent in
# data work (BriefingAnalytics) vs Pango/Cairo, and the median wall time.
#
#   BRIEFING_BIN=/path/to/briefing [BASELINE_BIN=/path/to/older/briefing] bash benchmarks/build.sh [LAYOUT...]
#
# Default layouts: layouts/regional-overview.yaml and benchmarks/layouts/national-7-charts.yaml.
# For each binary and layout:
#   (a) one run under `valgrind --tool=callgrind`: total instructions (Ir, the `summary:`/`totals:`
#       line of the output file), and from the profile (callgrind_share.py) the inclusive share of
#       instructions under BriefingAnalytics functions (loading + aggregation: "data work") and
#       under Pango/Cairo and the font/raster libraries;
#   (b) WARMUP + RUNS plain runs under /usr/bin/time: median wall and peak RSS. With BASELINE_BIN the
#       runs of the two binaries alternate (A B A B ...), so a slow spell hits both.
# Instruction counts hardly move on a loaded machine; wall times do. Callgrind profiles a copy of the
# binary without debug sections (objcopy --strip-debug: valgrind 3.19 cannot read Swift's DWARF 5);
# the instructions executed are the same. SWIFT_DETERMINISTIC_HASHING=1 under callgrind only: with
# Swift's per-process random hash seed the same build varies by ~0.4 % in Ir, with it by far less.
#
# Environment:
#   BRIEFING_BIN    the binary to measure (default: .build-release/release/briefing, then
#                   .build/release/briefing of this repository)
#   BASELINE_BIN    optional second binary (e.g. built from 5e8a160); prints after/before ratios
#   RUNS=5 WARMUP=1 plain runs per binary and layout
#   CALLGRIND=1     0 skips the callgrind runs (wall only)
#   DATA_PATTERN    regex on mangled function names that make "data work" (default, in
#                   callgrind_share.py: BriefingAnalytics|Dataset|QueryEngine)
#   BENCH_DIR=/tmp/briefing-bench   scratch; profiles and outputs go to $BENCH_DIR/build/
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
RUNS="${RUNS:-5}"
WARMUP="${WARMUP:-1}"
CALLGRIND="${CALLGRIND:-1}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer, got '$RUNS'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] || die "WARMUP must be a non-negative integer, got '$WARMUP'"

if [[ -z "${BRIEFING_BIN:-}" ]]; then
  for candidate in "$root/.build-release/release/briefing" "$root/.build/release/briefing"; do
    if [[ -x "$candidate" ]]; then BRIEFING_BIN="$candidate"; break; fi
  done
fi
[[ -n "${BRIEFING_BIN:-}" && -x "$BRIEFING_BIN" ]] \
  || die "no briefing binary: build one (swift build -c release --product briefing) or set BRIEFING_BIN=..."
bins=("$BRIEFING_BIN")
labels=(binary)
if [[ -n "${BASELINE_BIN:-}" ]]; then
  [[ -x "$BASELINE_BIN" ]] || die "BASELINE_BIN=$BASELINE_BIN is not an executable"
  bins+=("$BASELINE_BIN")
  labels+=(baseline)
fi

if [[ $# -gt 0 ]]; then layouts=("$@"); else
  layouts=("$root/layouts/regional-overview.yaml" "$here/layouts/national-7-charts.yaml")
fi
for layout in "${layouts[@]}"; do [[ -f "$layout" ]] || die "no layout file $layout"; done

[[ -x /usr/bin/time ]] || die "/usr/bin/time (GNU time) is missing: apt-get update && apt-get install -y time"
if [[ "$CALLGRIND" == 1 ]]; then
  command -v valgrind >/dev/null || die "valgrind is missing: apt-get update && apt-get install -y valgrind (or CALLGRIND=0)"
  command -v objcopy >/dev/null || die "objcopy is missing: apt-get update && apt-get install -y binutils (or CALLGRIND=0)"
fi
command -v "$PYTHON" >/dev/null || die "no '$PYTHON' on PATH (set PYTHON=...)"

work="$BENCH_DIR/build"
mkdir -p "$work"
tsv="$work/build-runs.tsv"
printf 'binary\tpath\tlayout\trun\twall_s\tmax_rss_kib\n' >"$tsv"

# build_once BIN LAYOUT OUTDIR [PREFIX...]: one `briefing build`, output into a fresh folder.
build_once() {
  local bin="$1" layout="$2" out="$3"
  shift 3
  rm -rf "$out" && mkdir -p "$out"
  if ! "$@" "$bin" build --out "$out" "$layout" >"$work/stdout.txt" 2>"$work/stderr.txt"; then
    printf 'build.sh: %s build %s failed:\n' "$bin" "$layout" >&2
    tail -n 20 "$work/stderr.txt" >&2
    return 1
  fi
}

median() { sort -g | awk '{a[NR] = $1} END {if (NR) print a[int((NR + 1) / 2)]}'; }

declare -A ir data_inc data_self data_low render_inc render_self render_low wall rss
for layout in "${layouts[@]}"; do
  name="$(basename "$layout" .yaml)"
  for i in "${!bins[@]}"; do
    bin="${bins[$i]}" label="${labels[$i]}"
    # The first build also checks the layout works with this binary.
    say "$label, $name: check build"
    build_once "$bin" "$layout" "$work/out-$label-$name" || die "$label cannot build $layout"
    if [[ "$CALLGRIND" == 1 ]]; then
      profile="$work/callgrind-$label-$name.out"
      # Valgrind 3.19 cannot read the DWARF 5 that Swift 6.3 writes ("unhandled dwarf2 abbrev form
      # code 0x25 ... Possibly corrupted debuginfo file. Giving up."), so callgrind runs a copy
      # without debug sections; the symbol table stays, so functions keep their names.
      objcopy --strip-debug "$bin" "$work/$label-nodebug" || die "objcopy --strip-debug $bin failed"
      say "$label, $name: callgrind"
      build_once "$work/$label-nodebug" "$layout" "$work/out-$label-$name" \
        env SWIFT_DETERMINISTIC_HASHING=1 valgrind --tool=callgrind --callgrind-out-file="$profile" -q \
        || die "$label under callgrind failed on $layout"
      read -r t di ds ri rs _ _ dl rl < <("$PYTHON" "$here/callgrind_share.py" --tsv ${DATA_PATTERN:+--data-pattern "$DATA_PATTERN"} "$profile")
      ir[$label,$name]=$t data_inc[$label,$name]=$di data_self[$label,$name]=$ds
      render_inc[$label,$name]=$ri render_self[$label,$name]=$rs
      data_low[$label,$name]=$dl render_low[$label,$name]=$rl
    fi
  done
  # Wall: warm-ups, then measured runs alternating between the binaries.
  for ((r = 1; r <= WARMUP + RUNS; r++)); do
    for i in "${!bins[@]}"; do
      bin="${bins[$i]}" label="${labels[$i]}"
      build_once "$bin" "$layout" "$work/out-$label-$name" \
        /usr/bin/time -f '%e %M' -o "$work/time.txt" || die "$label failed on $layout"
      read -r w m <"$work/time.txt"
      if ((r > WARMUP)); then
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$label" "$bin" "$name" "$((r - WARMUP))" "$w" "$m" >>"$tsv"
        say "$label, $name: run $((r - WARMUP))/$RUNS: ${w}s, peak $((m / 1024)) MiB"
      fi
    done
  done
  for label in "${labels[@]}"; do
    wall[$label,$name]="$(awk -F'\t' -v b="$label" -v l="$name" '$1 == b && $3 == l {print $5}' "$tsv" | median)"
    rss[$label,$name]="$(awk -F'\t' -v b="$label" -v l="$name" '$1 == b && $3 == l {print $6}' "$tsv" | median)"
  done
done

# --- report -------------------------------------------------------------------------------------
pct() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.1f", 100 * a / b}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.3f", a / b}'; }
echo
echo "## briefing build ($(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo
for i in "${!bins[@]}"; do echo "- ${labels[$i]}: ${bins[$i]}"; done
echo
echo "Ir = callgrind total instructions (one run). data = instructions under BriefingAnalytics functions"
echo "(loading + aggregation), render = under Pango/Cairo and the font/raster libraries: inclusive share,"
echo "lower–upper bound (self share); see callgrind_share.py. Wall and peak RSS: medians of $RUNS runs after"
echo "$WARMUP warm-up."
echo
echo "| binary | layout | Ir | data incl (self) | render incl (self) | wall s | peak MiB |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
for layout in "${layouts[@]}"; do
  name="$(basename "$layout" .yaml)"
  for label in "${labels[@]}"; do
    if [[ "$CALLGRIND" == 1 ]]; then
      t="${ir[$label,$name]}"
      cells="$t | $(pct "${data_low[$label,$name]}" "$t")–$(pct "${data_inc[$label,$name]}" "$t") % ($(pct "${data_self[$label,$name]}" "$t") %) | $(pct "${render_low[$label,$name]}" "$t")–$(pct "${render_inc[$label,$name]}" "$t") % ($(pct "${render_self[$label,$name]}" "$t") %)"
    else
      cells="- | - | -"
    fi
    echo "| $label | $name | $cells | ${wall[$label,$name]} | $((rss[$label,$name] / 1024)) |"
  done
done
if [[ ${#bins[@]} -eq 2 ]]; then
  echo
  echo "binary / baseline:"
  for layout in "${layouts[@]}"; do
    name="$(basename "$layout" .yaml)"
    line="- $name: wall $(ratio "${wall[binary,$name]}" "${wall[baseline,$name]}")"
    if [[ "$CALLGRIND" == 1 ]]; then
      line+=", Ir $(ratio "${ir[binary,$name]}" "${ir[baseline,$name]}"), data-work Ir $(ratio "${data_inc[binary,$name]}" "${data_inc[baseline,$name]}")"
    fi
    echo "$line"
  done
fi
if [[ "$CALLGRIND" == 1 ]]; then
  echo
  echo "Goal: data work under 10 % of the build (upper bound of the inclusive share of Ir):"
  for layout in "${layouts[@]}"; do
    name="$(basename "$layout" .yaml)"
    for label in "${labels[@]}"; do
      share="$(pct "${data_inc[$label,$name]}" "${ir[$label,$name]}")"
      verdict="$(awk -v s="$share" 'BEGIN {print (s < 10) ? "met" : "NOT met"}')"
      echo "- $label, $name: $share % ($verdict)"
    done
  done
  echo
  echo "Raw callgrind figures (Ir): binary layout total data_incl data_incl_low data_self render_incl render_incl_low render_self"
  for layout in "${layouts[@]}"; do
    name="$(basename "$layout" .yaml)"
    for label in "${labels[@]}"; do
      echo "    $label $name ${ir[$label,$name]} ${data_inc[$label,$name]} ${data_low[$label,$name]} ${data_self[$label,$name]} ${render_inc[$label,$name]} ${render_low[$label,$name]} ${render_self[$label,$name]}"
    done
  done
  echo
  echo "Profiles: $work/callgrind-*.out (callgrind_annotate --inclusive=yes FILE | swift demangle)"
fi
echo "Raw runs: $tsv"
