#!/usr/bin/env bash
# Draws every chart of reports/charts.html in headless Chromium, inside the whole page, and compares
# it with the chart's PNG export.
#
#   scripts/check-embed.sh [PAGE [PNG_FOLDER...]]      (default: reports/charts.html reports)
#
# A chart's PNG is looked for in each PNG_FOLDER in turn; in any but the first it counts only beside
# an SVG file with the same bytes as the chart's (`make check-embed` passes reports and
# .build/embed-png, a build with a PNG of every chart, also of those exported as SVG only).
#
# - Ids: no id of the page may belong to two different charts (the two copies of one chart, or two
#   identical charts, share theirs).
# - Pixels: for each chart with a PNG export, a copy of the page keeps every inlined SVG in its DOM
#   (both builds, twice each) but shows only the chart's second copy, at the top left, at its size:
#   its SVG is sized in CSS pixels equal to its points and drawn at device scale factor 2, so one
#   point is two pixels, as in the PNG export. Tools/png-diff compares the screenshot with the PNG.
#
# The limits, from the differences measured on the charts of layouts/ (README, "Charts in other
# documents"): the mean difference per channel at most 3 (measured 0.4–1.5; 2.0 with svgText:
# outlines: Chromium's text is a little darker, its glyphs sit a fraction of a pixel apart), and
# no 4×4-pixel square whose difference beyond what antialiasing explains (png-diff's `worst`)
# averages more than 3 (measured 0 on every chart, in both SVG modes; one wrong letter or digit in
# a label gives 11 or more, a chart drawn with another chart's glyphs 120).
#
# A screenshot that differs is taken once more before the chart fails: a part of a chart missing
# from a screenshot (a tile not drawn yet), seen once in about 150 screenshots on a loaded machine,
# did not come back; a real difference does. EMBED_ONLY=REGEX draws only the charts whose file name matches.
#
# Installs Debian's `chromium` when it is missing (apt-get, as root or with sudo) and fails when it
# cannot; BRIEFING_SKIP_CHROMIUM=1 skips the drawing (exit 0 after the id check) and says so.
set -euo pipefail
cd "$(dirname "$0")/.."

page=${1:-reports/charts.html}
shift $(($# > 0 ? 1 : 0))
pngs=("$@")
[ ${#pngs[@]} -gt 0 ] || pngs=(reports)
work=.build/check-embed
max_mean=3
max_square=3
[ -f "$page" ] || { echo "check-embed: $page is missing: run make report first" >&2; exit 66; }

# Ids: each id of the page in one chart's content only. A chart with real text refers to its ids
# only from aria-labelledby, so a shared id would give it another chart's title for a screen reader
# without changing a pixel; one with glyph outlines draws its glyphs through them (<use>).
collisions=$(awk '
  /^<figure / { inside = 1; body = ""; n = 0; match($0, /data-file="[^"]*"/); file = substr($0, RSTART + 11, RLENGTH - 12); next }
  inside && /^<\/figure>$/ {
    if (!(body in key)) key[body] = ++bodies
    for (i = 1; i <= n; i++) {
      if ((ids[i] in owner) && owner[ids[i]] != key[body]) print "id \"" ids[i] "\" is in " ownerFile[ids[i]] " and in " file
      else if (!(ids[i] in owner)) { owner[ids[i]] = key[body]; ownerFile[ids[i]] = file }
    }
    inside = 0; next
  }
  inside && !/^<figcaption>/ {
    body = body $0 "\n"; line = $0
    while (match(line, / id="[^"]*"/)) { ids[++n] = substr(line, RSTART + 5, RLENGTH - 6); line = substr(line, RSTART + RLENGTH) }
  }' "$page")
if [ -n "$collisions" ]; then
  echo "check-embed: ids shared by different charts of $page:" >&2
  head -20 <<<"$collisions" >&2
  exit 1
fi
echo "check-embed: $(grep -o ' id="' "$page" | wc -l) ids in $(grep -c '^<figure ' "$page") inlined charts, none in two different charts"

if [ "${BRIEFING_SKIP_CHROMIUM:-}" = 1 ]; then
  echo "check-embed: ids checked; drawing in Chromium skipped (BRIEFING_SKIP_CHROMIUM=1): no chart was compared with its PNG"
  exit 0
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "check-embed: installing chromium"
  if ! bash scripts/install-system-deps.sh chromium || ! command -v chromium >/dev/null 2>&1; then
    echo "check-embed: could not install chromium (BRIEFING_SKIP_CHROMIUM=1 skips the drawing)" >&2
    exit 1
  fi
fi

rm -rf "$work"
mkdir -p "$work/shots" "$work/pages"
# The flags of `make release`, so that the modules it built are not compiled again.
swift build -c release --static-swift-stdlib --product png-diff >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
diff_tool=$(swift build -c release --static-swift-stdlib --show-bin-path)/png-diff

# The charts to draw: the file, width and height (points) of each figure's second copy.
mapfile -t charts < <(awk '
  /^<figure .*data-copy="2"/ { match($0, /data-file="[^"]*"/); file = substr($0, RSTART + 11, RLENGTH - 12); want = 1; next }
  want && /^<svg / {
    match($0, / width="[0-9.]+pt"/); w = substr($0, RSTART + 8, RLENGTH - 11)
    match($0, / height="[0-9.]+pt"/); h = substr($0, RSTART + 9, RLENGTH - 12)
    print file, w, h; want = 0
  }' "$page")
[ ${#charts[@]} -gt 0 ] || { echo "check-embed: no chart in $page has a second copy" >&2; exit 1; }

# Pixel width and height of a PNG file, from its header.
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'; }

failed=0
drawn=0
start=$SECONDS
for chart in "${charts[@]}"; do
  read -r file width height <<<"$chart"
  name=$(basename "$file" .svg)
  [[ $name =~ ${EMBED_ONLY:-.} ]] || continue
  png=""
  for folder in "${pngs[@]}"; do
    if [ -f "$folder/$name.png" ] && { [ "$folder" = "${pngs[0]}" ] || cmp -s "$folder/$name.svg" "$file"; }; then
      png="$folder/$name.png"
      break
    fi
  done
  if [ -z "$png" ]; then
    echo "check-embed: $file: no PNG of this chart in ${pngs[*]}: not drawn"
    continue
  fi
  read -r pw ph < <(png_size "$png")
  # Whole CSS pixels at two device pixels each; png-diff leaves out an extra column or row.
  ww=$(((pw + 1) / 2))
  wh=$(((ph + 1) / 2))
  selector="body > figure[data-file=\"$file\"][data-copy=\"2\"]"
  style="<style>
html, body { margin: 0; padding: 0; background: #fff; overflow: hidden; }
body > * { position: absolute; top: 0; left: -100000px; visibility: hidden; margin: 0; }
$selector { left: 0; visibility: visible; }
$selector > figcaption { display: none; }
$selector > svg { width: ${width}px; height: ${height}px; max-width: none; }
</style>"
  test_page="$PWD/$work/pages/$name.html"
  awk -v style="$style" '/^<\/head>$/ { print style } { print }' "$page" >"$test_page"
  shot="$work/shots/$name.png"
  ok=0
  first=""
  for attempt in 1 2; do
    rm -f "$shot"
    if ! chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run --user-data-dir="$PWD/$work/profile" \
      --run-all-compositor-stages-before-draw --force-device-scale-factor=2 --window-size="$ww,$wh" \
      --screenshot="$PWD/$shot" "file://$test_page" >"$work/chromium.log" 2>&1 || [ ! -s "$shot" ]; then
      echo "check-embed: chromium did not draw $file:" >&2
      tail -5 "$work/chromium.log" >&2
      exit 1
    fi
    if result=$("$diff_tool" --max-mean "$max_mean" --max-square "$max_square" "$shot" "$png"); then
      ok=1
      break
    fi
    result=${result:-not comparable}
    if [ "$attempt" = 1 ]; then
      first=$result
      mv "$shot" "$work/shots/$name-first.png"
    fi
  done
  drawn=$((drawn + 1))
  if [ "$ok" = 1 ]; then
    from=""
    [ "$png" = "${pngs[0]}/$name.png" ] || from=" (against $png)"
    echo "check-embed: $name: $result$from${first:+ (the first screenshot differed: $first)}"
  else
    echo "check-embed: $name: FAILED: $first, again $result (screenshots in $work/shots/)" >&2
    failed=$((failed + 1))
  fi
done

echo "check-embed: $drawn charts drawn in Chromium in $((SECONDS - start)) s; limits: mean $max_mean, worst square $max_square"
if [ "$failed" -gt 0 ]; then
  echo "check-embed: $failed of $drawn charts differ from their PNG export" >&2
  exit 1
fi
echo "check-embed: every chart renders in Chromium as its PNG export"
