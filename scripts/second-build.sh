#!/usr/bin/env bash
# Another build of the layouts in layouts/, into .build/, for reports/charts.html and its check.
#
#   scripts/second-build.sh [FOLDER [SCALE [EXPORTS]]]     (default: .build/embed-second 1.1 svg)
#
# Mirrors layouts/ and seeds/ into FOLDER (layouts reach their data by relative paths), multiplies
# the `value` column of every plain CSV file there by SCALE (whole numbers stay whole, rounded;
# others keep six significant digits; empty values stay empty; a file with quoted fields is copied
# as it is), makes every chart's `export:` list EXPORTS, and builds into FOLDER/out.
# - the default: the same charts over other data (every figure × 1.1), SVG only: two builds of
#   one layout then share the page;
# - `scripts/second-build.sh .build/embed-png 1 svg,png`: the same build as reports/, with a PNG of
#   every chart, also of those exported as SVG only (scripts/check-embed.sh compares with it).
# Deterministic: same inputs, same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
folder=${1:-.build/embed-second}
scale=${2:-1.1}
exports=${3:-svg}
briefing=$(realpath "${BRIEFING:-.build/release/briefing}")
[[ $scale =~ ^[0-9]+(\.[0-9]+)?$ ]] || { echo "second-build: SCALE must be a number, not $scale" >&2; exit 64; }
[[ $exports =~ ^[a-z]+(,[a-z]+)*$ ]] || { echo "second-build: EXPORTS must read like svg,png, not $exports" >&2; exit 64; }

rm -rf "$folder"
mkdir -p "$folder"
cp -R layouts seeds "$folder/"

scale() {
  awk -F, -v OFS=, -v scale="$scale" '
    NR == 1 { for (i = 1; i <= NF; i++) if ($i == "value") column = i; print; next }
    column && $column != "" {
      if ($column ~ /^-?[0-9]+$/) $column = sprintf("%.0f", $column * scale)
      else $column = sprintf("%.6g", $column * scale)
    }
    { print }' "$1" >"$1.scaled"
  mv "$1.scaled" "$1"
}
if [ "$scale" != 1 ]; then
  find "$folder/layouts" "$folder/seeds" -name '*.csv' | LC_ALL=C sort | while read -r file; do
    if grep -q '"' "$file" || ! head -1 "$file" | tr ',' '\n' | grep -qx value; then continue; fi
    scale "$file"
  done
fi

for layout in "$folder"/layouts/*.yaml; do
  sed -E -i "s/^([[:space:]]*)export:[[:space:]]*\[.*\]/\1export: [${exports//,/, }]/" "$layout"
done

(cd "$folder" && "$briefing" build --out out >/dev/null)
