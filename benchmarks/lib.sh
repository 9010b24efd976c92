# Shared by run.sh and agree.sh (sourced, not run). Expects $here (benchmarks/) to be set.
root="$(cd "$here/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/briefing-bench}"
SKIP_BUILD="${SKIP_BUILD:-0}"
PYTHON="${PYTHON:-python3}"
BRIEFING="${BRIEFING:-$root/.build/release/briefing}"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf '%s: error: %s\n' "$(basename "$0")" "$*" >&2; exit 1; }

# require_python_modules MODULE...: dies with the pip command when one is missing.
require_python_modules() {
  command -v "$PYTHON" >/dev/null || die "no '$PYTHON' on PATH (set PYTHON=...)"
  local missing=() module
  for module in "$@"; do
    "$PYTHON" -c "import $module" 2>/dev/null || missing+=("$module")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    die "missing Python module(s): ${missing[*]}. Install the pinned peers with:
    $PYTHON -m pip install -r $here/requirements.txt"
  fi
}

# build_briefing: the release binary of this repository (unless SKIP_BUILD=1), then checks it exists.
build_briefing() {
  if [[ "$SKIP_BUILD" != 1 ]]; then
    command -v swift >/dev/null || die "no 'swift' on PATH"
    # The flags of `make release`: other flags would recompile every module into .build/release.
    say "building the release binary in $root (swift build -c release --static-swift-stdlib --product briefing)"
    (cd "$root" && swift build -c release --static-swift-stdlib --product briefing) >&2 || die "swift build failed"
  fi
  [[ -x "$BRIEFING" ]] || die "no briefing binary at $BRIEFING (build it, or set BRIEFING=...)"
}

# require_query: dies unless the binary has the `query` subcommand.
require_query() {
  "$BRIEFING" --help 2>/dev/null | grep -Eq '^[[:space:]]+query([[:space:]]|$)' \
    || die "$BRIEFING has no 'query' subcommand (is this an older snapshot of the repository?)${1:+
    $1}"
}

# panel_for ROWS: the path of the generated panel.
panel_for() { printf '%s/panel-%s.csv' "$BENCH_DIR" "$1"; }

# ensure_panel ROWS: generates the panel (default seed) unless a file with ROWS data rows is there.
ensure_panel() {
  local rows="$1" file
  file="$(panel_for "$rows")"
  mkdir -p "$BENCH_DIR"
  if [[ -s "$file" ]] && [[ "$(wc -l <"$file")" -eq $((rows + 1)) ]]; then
    say "reusing $file"
  else
    say "generating $file ($rows rows)"
    (cd "$root" && "$BRIEFING" seed panel --rows "$rows" --regions "$root/seeds/regions.csv" --out "$file") \
      || die "could not generate $file"
  fi
}

# raw_for ROWS: the path of the generated raw-export file (SHAPE=raw).
raw_for() { printf '%s/raw-%s.csv' "$BENCH_DIR" "$1"; }

# ensure_raw ROWS: generates the raw export (gen_raw.py, default seed) unless a file with ROWS data
# rows is there.
ensure_raw() {
  local rows="$1" file
  file="$(raw_for "$rows")"
  mkdir -p "$BENCH_DIR"
  if [[ -s "$file" ]] && [[ "$(wc -l <"$file")" -eq $((rows + 1)) ]]; then
    say "reusing $file"
  else
    say "generating $file ($rows rows, gen_raw.py)"
    "$PYTHON" "$here/gen_raw.py" "$file" --rows "$rows" --regions "$root/seeds/regions.csv" \
      || die "could not generate $file"
  fi
}

# data_for SHAPE ROWS / ensure_data SHAPE ROWS: the panel or the raw export.
data_for() { if [[ "$1" == raw ]]; then raw_for "$2"; else panel_for "$2"; fi; }
ensure_data() { if [[ "$1" == raw ]]; then ensure_raw "$2"; else ensure_panel "$2"; fi; }
