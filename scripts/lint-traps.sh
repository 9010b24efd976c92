#!/usr/bin/env bash
# Fails on anything in Sources/ that can trap on input or the environment: force unwraps (`x!`),
# force casts (`as!`), force tries (`try!`) and implicitly unwrapped optionals (`T!`).
#
# Uses `swift format lint` (part of the Swift toolchain) with only those three rules enabled
# (scripts/no-traps.swift-format); its formatting remarks are ignored. A proven case is allowed
# where it is written, with its reason on the line before:
#     // swift-format-ignore: NeverForceUnwrap — the buffer was just allocated non-empty
set -euo pipefail
cd "$(dirname "$0")/.."
findings=$(swift format lint --configuration scripts/no-traps.swift-format --recursive Sources 2>&1 \
  | grep -E '\[(NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals)\]' || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "lint-traps: $(wc -l <<<"$findings") place(s) that can trap on input; handle the nil/error case instead"
  exit 1
fi
echo "lint-traps: no force unwrap, force cast, force try or implicitly unwrapped optional in Sources/"
