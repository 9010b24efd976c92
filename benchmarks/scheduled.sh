#!/usr/bin/env bash
# Scheduled builds of every layout in layouts/ (96 briefings, 89 of them regional): a no-op rebuild
# (nothing changed) and a full build with --jobs 2, the goals of issue 16 (under 0.2 s and under
# 5 s on a 2-core machine). In the same run, what a user would otherwise write: a Makefile with one
# `briefing build LAYOUT` rule per layout, its output depending on the layout and the data files
# (`make` no-op, and `make -j2` for the full build; the regional layout is one rule, as make cannot
# see its 89 briefings).
#
#   bash benchmarks/scheduled.sh                  # builds the release binary first
#   SKIP_BUILD=1 RUNS=10 bash benchmarks/scheduled.sh
#
# Environment: RUNS=20 (no-op) FULL_RUNS=3 (full builds) SKIP_BUILD=0 BENCH_DIR=/tmp/briefing-bench
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=lib.sh
source "$here/lib.sh"
RUNS="${RUNS:-20}"
FULL_RUNS="${FULL_RUNS:-3}"
command -v hyperfine >/dev/null || die "hyperfine is needed (apt-get install hyperfine)"
build_briefing
export SOURCE_DATE_EPOCH=1767225600
out="$BENCH_DIR/scheduled/reports"
make_out="$BENCH_DIR/scheduled/make"
rm -rf "$BENCH_DIR/scheduled"
mkdir -p "$make_out"
cd "$root"

# The peer: one make rule per layout.
makefile="$BENCH_DIR/scheduled/Makefile"
{
  echo "data := \$(wildcard $root/seeds/*.csv)"
  targets=()
  for layout in layouts/*.yaml; do
    name=$(basename "$layout" .yaml)
    targets+=("$make_out/$name.stamp")
    printf '%s: %s $(data)\n\t%s build %s --out %s --quiet --jobs 1 --force && touch $@\n' \
      "$make_out/$name.stamp" "$root/$layout" "$BRIEFING" "$root/$layout" "$make_out" 
  done
  echo "all: ${targets[*]}"
} >"$makefile"

say "first build into $out"
"$BRIEFING" build --out "$out" --quiet
say "a no-op rebuild: $RUNS runs"
hyperfine --warmup 2 --runs "$RUNS" --export-json "$BENCH_DIR/scheduled/noop.json" \
  -n "briefing build (no-op)" "$BRIEFING build --out $out --quiet" \
  -n "make (no-op)" "make -s -C $root -f $makefile all"
say "a full build with --jobs 2 and --jobs 1: $FULL_RUNS runs"
make -s -C "$root" -f "$makefile" all
hyperfine --runs "$FULL_RUNS" --export-json "$BENCH_DIR/scheduled/full.json" \
  -n "briefing build --force --jobs 2" "$BRIEFING build --out $out --quiet --force --jobs 2" \
  -n "briefing build --force --jobs 1" "$BRIEFING build --out $out --quiet --force --jobs 1" \
  -n "make -j2 (a briefing build per layout)" "make -s -B -j2 -C $root -f $makefile all"
"$BRIEFING" manifest check "$out"
