#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer, and its suites whose code runs threads under
# ThreadSanitizer, each in its own build folder.
#
#   scripts/sanitize.sh [address] [thread]     (default: both)
#
# A sanitizer report fails the run. LeakSanitizer and ThreadSanitizer read
# scripts/lsan-suppressions.txt and scripts/tsan-suppressions.txt, which list only reports proven
# to lie outside this project's code (each entry says why).
set -euo pipefail
cd "$(dirname "$0")/.."

sanitizers=("$@")
[ ${#sanitizers[@]} -gt 0 ] || sanitizers=(address thread)
# The Swift runtime's crash reporter would hold a trapped test process; the sanitizer reports.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan-suppressions.txt:print_suppressions=0}
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1:suppressions=$PWD/scripts/tsan-suppressions.txt}

for sanitizer in "${sanitizers[@]}"; do
  case "$sanitizer" in
    address) scratch=.build-asan ;;
    thread) scratch=.build-tsan ;;
    *) echo "sanitize: unknown sanitizer “$sanitizer” (address or thread)" >&2; exit 2 ;;
  esac
  mkdir -p "$scratch"
  # Tests that measure resident memory skip that check (a sanitizer holds freed memory back).
  export BRIEFING_SANITIZER=$sanitizer
  log="$scratch/sanitize-test.log"
  echo "sanitize: swift test --sanitize=$sanitizer"
  start=$(date +%s)
  status=0
  # RegionTemplateTests composes all 89 regional briefings: the same single-threaded code the
  # other suites run, for minutes under a sanitizer (CI stays well under 30 minutes without it).
  # Of ScheduledBuildTests only the commit's fault injection (in process) and the parallel and
  # sharded builds (worker threads, for ThreadSanitizer) run here: the others start the CLI dozens
  # of times to kill, race and rebuild it, which checks the file system, not memory or threads.
  skip='RegionTemplateTests|ScheduledBuildTests/(aNoOp|aFont|changing|aFileNo|refused|aDatabase|killed|aSecond|concurrent|sigterm|oneBad|duplicate|validate)'
  # ThreadSanitizer looks for races, so it runs the suites whose code runs threads: the query
  # engine's parallel CSV reading (BriefingAnalyticsTests, BriefingSQLiteTests), `build --jobs`
  # and shards with their shared tables and font maps (ScheduledBuildTests), the CLI's font
  # thread beside Pango's own (ChartCommandTests, which runs the CLI built here), and in-process
  # drawing beside Pango's threads (BackendTests, LifetimeTests). The other suites run the same
  # single-threaded code under AddressSanitizer; running them here too took 150 of ThreadSanitizer's
  # 230 s of tests.
  filter=()
  if [ "$sanitizer" = thread ]; then
    filter=(--filter 'BriefingAnalyticsTests|BriefingSQLiteTests|ScheduledBuildTests|ChartCommandTests|BackendTests|LifetimeTests')
  fi
  swift test --sanitize="$sanitizer" --scratch-path "$scratch" "${filter[@]}" --skip "$skip" >"$log" 2>&1 || status=$?
  grep -E "Test run with|Executed [0-9]+ tests|SUMMARY: |WARNING: ThreadSanitizer|ERROR: AddressSanitizer|ERROR: LeakSanitizer" "$log" | sed 's/^/  /' || true
  echo "sanitize: $sanitizer took $(( $(date +%s) - start ))s, exit status $status"
  # A report in a child process (an end-to-end test runs the CLI) shows in the log, not the status.
  if [ "$status" -ne 0 ] || grep -qE "WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer" "$log"; then
    grep -nE -A30 "WARNING: ThreadSanitizer|ERROR: (Address|Leak)Sanitizer|error:|Fatal error" "$log" | head -120
    echo "sanitize: $sanitizer run failed (log: $log)"
    exit 1
  fi
done
echo "sanitize: ${sanitizers[*]}: clean"
