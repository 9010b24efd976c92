#!/usr/bin/env bash
# Installs the Debian packages Briefing needs to build, render and check its output.
# Idempotent: installs only what is missing and says what it installs.
#
#   scripts/install-system-deps.sh [EXTRA_PACKAGE...]   (extra packages for one check: chromium)
set -euo pipefail

packages=(
  pkg-config          # SwiftPM finds cairo and pango through it
  libcairo2-dev       # cairo with its PDF, SVG and image surfaces
  libpango1.0-dev     # text layout (pangocairo)
  libsqlite3-dev      # SQLite data sources and `briefing import`
  libdeflate-dev      # PNG charts are deflated with libdeflate (PNGEncoder): 2.4 times fewer instructions than zlib
  fonts-paratype      # PT Sans / PT Serif: the default theme's fonts, made for the languages of Russia
  fonts-dejavu-core   # fallback family with wide coverage
  fonts-opensymbol    # not used by builds: tests prove that one more installed font changes no output
  fontconfig
  poppler-utils       # pdftotext, pdffonts, pdfinfo, pdftoppm: used by tests and CI
  qpdf                # qpdf --check: used by tests and CI
  libxml2-utils       # xmllint: used by tests and CI
  librsvg2-bin        # rsvg-convert (librsvg): tests render the SVG charts with an SVG reader that is not ours
  python3-yaml        # scripts/check-layout-schema.py: tests read the layouts as YAML editors do
  python3-jsonschema  # scripts/check-layout-schema.py: tests check layouts against docs/layout.schema.json with a validator that is not ours
)

packages+=("$@")

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-system-deps: all system packages present"
  exit 0
fi

echo "install-system-deps: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; else
    echo "install-system-deps: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-system-deps: installed ${missing[*]}"
