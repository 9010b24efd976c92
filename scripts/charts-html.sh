#!/usr/bin/env bash
# Writes an HTML page that inlines (the <svg> element itself, not <img>) every SVG chart of a build
# twice, and between the two copies the SVG charts of a second build of the same layouts over
# other data: ids of two builds of one layout, and of one chart twice, then share one DOM.
#
#   scripts/charts-html.sh BUILD SECOND OUT        e.g. reports .build/embed-second/out reports/charts.html
#
# Each chart is a <figure data-file="…" data-copy="…"> whose caption names its file. A chart that
# picked up another's part through a shared id would be drawn wrongly: scripts/check-embed.sh draws
# each chart's second copy (which follows at least one copy of every other chart) in Chromium and
# compares it with the chart's PNG. Deterministic: same files in, same bytes out.
set -euo pipefail
if [ $# -ne 3 ]; then
  echo "usage: $0 BUILD SECOND OUT" >&2
  exit 64
fi
build=${1%/}
second=${2%/}
out=$3

# Paths go into the page as they are: letters, digits, '.', '_', '-' and '/' only.
plain() { [[ $1 =~ ^[A-Za-z0-9._/-]+$ ]] || { echo "charts-html: unexpected file name $1" >&2; exit 65; }; }
svgs() { find "$1" -maxdepth 1 -name '*.svg' | LC_ALL=C sort; }
# One chart: its caption, then its SVG without the XML prolog.
figure() {
  local file=$1 copy=$2
  plain "$file"
  printf '<figure data-file="%s" data-copy="%s">\n<figcaption>%s</figcaption>\n' "$file" "$copy" "$file"
  sed '/^<?xml [^>]*?>$/d' "$file"
  printf '</figure>\n'
}
section() {
  local heading=$1 folder=$2 copy=$3 file
  printf '<h2>%s</h2>\n' "$heading"
  while read -r file; do figure "$file" "$copy"; done < <(svgs "$folder")
}

plain "$build"
plain "$second"
count=$(svgs "$build" | wc -l)
if [ "$count" -eq 0 ]; then
  echo "charts-html: no SVG files in $build" >&2
  exit 66
fi

tmp=$(mktemp "$out.XXXXXX")
trap 'rm -f "$tmp"' EXIT
{
  cat <<EOF
<!DOCTYPE html>
<html lang="ru">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title>Диаграммы Briefing на одной странице</title>
<style>
body { font-family: 'PT Sans', sans-serif; margin: 2em; }
figure { margin: 0 0 2em; }
figcaption { font: 0.85em monospace; color: #555; margin-bottom: 0.3em; }
figure > svg { display: block; max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Диаграммы Briefing на одной странице</h1>
<p>Каждая из $count диаграмм сборки $build встроена дважды; между копиями — диаграммы второй сборки тех же макетов по другим данным ($second).</p>
EOF
  section "Сборка $build, первая копия" "$build" 1
  section "Вторая сборка: $second" "$second" 1
  section "Сборка $build, вторая копия" "$build" 2
  printf '</body>\n</html>\n'
} >"$tmp"
chmod 644 "$tmp"
mv "$tmp" "$out"
trap - EXIT
