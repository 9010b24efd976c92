#!/usr/bin/env bash
# Builds the libFuzzer harnesses in Fuzz/ (with AddressSanitizer) and runs each for a bounded time,
# starting from its seed corpus in Tests/Fuzz/<name>/.
#
#   scripts/fuzz.sh [SECONDS] [csv|numbers|json|layout ...]     (default: 60 seconds, all four)
#
# A crash, a broken check, a timeout (one input over $FUZZ_INPUT_TIMEOUT seconds) or running out
# of memory fails the script and prints the input in hex and base64: keep it as a seed with
#   cp .build-fuzz/artifacts/<name>/crash-… Tests/Fuzz/<name>/
# and add a unit test that reproduces it. New inputs found along the way stay in
# .build-fuzz/corpus/<name>/ (not committed); `FUZZ_MERGE=1` folds the ones that add coverage
# into Tests/Fuzz/<name>/ instead.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
harnesses=("$@")
[ ${#harnesses[@]} -gt 0 ] || harnesses=(csv numbers json layout)
scratch=${FUZZ_SCRATCH:-.build-fuzz}
# Debug: with -c release (Swift 6.3) the Swift modules come out without coverage instrumentation
# ("no interesting inputs were found"), so libFuzzer would only mutate blindly; debug also keeps
# `assert`.
config=${FUZZ_CONFIG:-debug}
input_timeout=${FUZZ_INPUT_TIMEOUT:-10}

product() {
  case "$1" in
    csv) echo FuzzCSV ;;
    numbers) echo FuzzNumbers ;;
    json) echo FuzzJSON ;;
    layout) echo FuzzLayout ;;
    *) echo "fuzz: unknown harness “$1” (csv, numbers, json or layout)" >&2; exit 2 ;;
  esac
}

# Longest input per harness: a few records, a number field, a layout file.
max_len() {
  case "$1" in
    numbers) echo 64 ;;
    layout) echo 8192 ;;
    *) echo 4096 ;;
  esac
}

# The targets exist only with BRIEFING_FUZZ set (Package.swift). lld: with the default gold
# linker the coverage sections are dropped and libFuzzer finds nothing new. The coverage kinds
# are named too: swift-driver does not always hand `-sanitize=fuzzer`'s coverage on to the
# compiler (a fresh clone built the Swift modules without it).
export BRIEFING_FUZZ=1
flags=(-c "$config" --scratch-path "$scratch" --sanitize=fuzzer --sanitize=address -Xswiftc -use-ld=lld
  -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
mkdir -p "$scratch"
if ! swift build "${flags[@]}" >"$scratch/build.log" 2>&1; then
  grep -v "Cannot export local symbol" "$scratch/build.log" | tail -40
  echo "fuzz: building the harnesses failed"
  exit 1
fi
bin=$(swift build "${flags[@]}" --show-bin-path)

# The Swift runtime's own crash reporter would hold the process after a trap; libFuzzer reports.
export SWIFT_BACKTRACE=enable=no
# Leaks inside system libraries only, each with its reason.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}
failed=()
for name in "${harnesses[@]}"; do
  corpus="$scratch/corpus/$name"
  artifacts="$scratch/artifacts/$name"
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/*
  echo "fuzz: $name for ${seconds}s (seeds: Tests/Fuzz/$name, $(ls "Tests/Fuzz/$name" | wc -l) files)"
  start=$(date +%s)
  status=0
  # New inputs go to the first folder (the scratch corpus); the seeds are read, never written.
  "$bin/$(product "$name")" "$corpus" "Tests/Fuzz/$name" \
    -dict="Tests/Fuzz/$name.dict" -max_total_time="$seconds" -max_len="$(max_len "$name")" \
    -timeout="$input_timeout" -rss_limit_mb=2048 -artifact_prefix="$artifacts/" -print_final_stats=1 \
    >"$scratch/$name.log" 2>&1 || status=$?
  grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|INFO: Loaded|Done)|ERROR|SUMMARY|Fatal error|Precondition failed|Test unit written" \
    "$scratch/$name.log" | sed "s/^/  /" || true
  echo "fuzz: $name ran $(( $(date +%s) - start ))s, exit status $status"
  # Without coverage feedback libFuzzer only mutates blindly: treat it as a broken build.
  if grep -q "Is the code instrumented for coverage" "$scratch/$name.log"; then
    echo "fuzz: $name: libFuzzer sees no coverage (FUZZ_CONFIG=$config)"
    [ "$status" -ne 0 ] || status=1
  fi
  if [ "$status" -ne 0 ]; then
    failed+=("$name")
    tail -60 "$scratch/$name.log"
    for artifact in "$artifacts"/*; do
      [ -f "$artifact" ] || continue
      echo "fuzz: $name: failing input $artifact ($(wc -c <"$artifact") bytes):"
      od -A d -t x1 -v "$artifact" | head -40
      echo "base64: $(base64 -w0 "$artifact")"
      echo "fuzz: keep it: cp $artifact Tests/Fuzz/$name/  (then add a unit test and fix)"
    done
  elif [ -n "${FUZZ_MERGE:-}" ]; then
    "$bin/$(product "$name")" -merge=1 -max_len="$(max_len "$name")" "Tests/Fuzz/$name" "$corpus" >/dev/null 2>&1
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: findings in ${failed[*]}"
  exit 1
fi
echo "fuzz: ${harnesses[*]}: no findings in ${seconds}s each"
