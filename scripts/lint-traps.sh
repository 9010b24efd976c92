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
# First, that the rules fire at all: a file with each trap must give three findings.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
printf 'func f(a: Int?) throws -> Int { let b: Int! = a; return a! + (try! g()) + b }\nfunc g() throws -> Int { 1 }\n' >"$probe/probe.swift"
fired=$(swift format lint --configuration scripts/no-traps.swift-format "$probe/probe.swift" 2>&1 \
  | grep -cE '\[(NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals)\]' || true)
if [ "$fired" -lt 3 ] || [ ! -d Sources ]; then
  echo "lint-traps: swift format lint does not report the trap rules here (found $fired of 3 on a probe)"
  exit 1
fi
status=0
output=$(swift format lint --configuration scripts/no-traps.swift-format --recursive Sources 2>&1) || status=$?
# The lint must really have run: a missing tool, a bad configuration or a file it cannot parse
# is a failure, not a pass.
if [ "$status" -ne 0 ] || grep -q 'error:' <<<"$output"; then
  echo "$output" | grep -v '^\S*: warning: \[' | head -20
  echo "lint-traps: swift format lint did not run cleanly (exit $status)"
  exit 1
fi
findings=$(grep -E '\[(NeverForceUnwrap|NeverUseForceTry|NeverUseImplicitlyUnwrappedOptionals)\]' <<<"$output" || true)
if [ -n "$findings" ]; then
  echo "$findings"
  echo "lint-traps: $(wc -l <<<"$findings") place(s) that can trap on input; handle the nil/error case instead"
  exit 1
fi
echo "lint-traps: no force unwrap, force cast, force try or implicitly unwrapped optional in Sources/"
