#!/usr/bin/env bash
# Verifies the scheduling recipes of docs/scheduling.md as far as this machine can:
#   - contrib/systemd: `systemd-analyze verify` of the service and timer (with the binary path set to
#     one that exists) and an offline security review with an exposure threshold;
#   - contrib/cron: the wrapper run with a stub briefing (exit 0, 65, 73, 75, 143, missing) and a
#     stub logger, on a PATH holding nothing else, its exit codes and log lines asserted; the
#     /etc/cron.d file and the README's cron line linted;
#   - contrib/ci: the GitHub workflow and the doc's GitLab snippet parsed and their matrix and
#     commands checked; the workflow's "Build shard" and "Merge shards" steps run locally, with a
#     fake briefing always and with .build/release/briefing when it has `build --shard`, the merged
#     folder compared with one unsharded build.
# Each check is also run once against a deliberately broken input, which it must reject.
#
#   bash scripts/check-recipes.sh       (from anywhere; `make check-recipes`)
#
# CHECK_RECIPES_REQUIRE_SHARD=1 makes a skipped real shard run (no binary, or no --shard) a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

failures=0
ok() { echo "check-recipes: ok: $*"; }
fail() { echo "check-recipes: FAIL: $*" >&2; failures=$((failures + 1)); }
skip() { echo "check-recipes: SKIP $*"; }
indent() { sed 's/^/    /' >&2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------------------------------------
# Tools: systemd-analyze (package systemd) and a python3 that has PyYAML.
need=()
command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
py=""
for candidate in python3 /usr/bin/python3; do
  if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import yaml' 2>/dev/null; then
    py=$candidate
    break
  fi
done
[[ -n $py ]] || need+=(python3-yaml)
if [[ ${#need[@]} -gt 0 ]]; then
  bash scripts/install-system-deps.sh "${need[@]}"
  [[ -n $py ]] || py=/usr/bin/python3
fi

# The Python half: workflow and snippet checks, step extraction, JSON comparison.
cat >"$tmp/helper.py" <<'PY'
import fnmatch, json, re, sys
import yaml

def die(msg):
    print(msg, file=sys.stderr)
    sys.exit(1)

def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)

def steps(job):
    return job.get("steps") or []

def step_named(job, name):
    found = [s for s in steps(job) if s.get("name") == name]
    if len(found) != 1:
        die(f"expected one step named “{name}”, found {len(found)}")
    return found[0]

def uses(step, action):
    return str(step.get("uses", "")).split("@")[0] == action

def workflow_check(path):
    wf = load(path)
    triggers = wf.get("on", wf.get(True))  # YAML 1.1 reads a bare `on` as true
    if not isinstance(triggers, dict) or not triggers.get("schedule"):
        die("the workflow has no schedule trigger")
    try:
        total = int(wf["env"]["SHARDS"])
    except (KeyError, TypeError, ValueError):
        die("the workflow sets no integer env.SHARDS")
    if total < 2:
        die(f"env.SHARDS is {total}: nothing to shard")
    jobs = wf.get("jobs") or {}
    build, merge = jobs.get("build"), jobs.get("merge")
    if not build or not merge:
        die("the workflow needs the jobs `build` and `merge`")
    shards = ((build.get("strategy") or {}).get("matrix") or {}).get("shard")
    if shards != list(range(1, total + 1)):
        die(f"jobs.build.strategy.matrix.shard is {shards}, expected {list(range(1, total + 1))} (env.SHARDS = {total})")
    run = step_named(build, "Build shard").get("run", "")
    m = re.search(r'--shard\s+"?\$\{\{ matrix\.shard \}\}/\$\{?SHARDS\}?"?', run)
    if not m:
        die("the step “Build shard” does not run `--shard ${{ matrix.shard }}/$SHARDS`")
    out = re.search(r'--out\s+(?:"([^"]+)"|(\S+))', run)
    out = out and (out.group(1) or out.group(2))
    if not out or "${{ matrix.shard }}" not in out:
        die("the step “Build shard” does not write each shard to its own --out folder")
    ups = [s for s in steps(build) if uses(s, "actions/upload-artifact")]
    if len(ups) != 1:
        die("the build job must upload its shard once")
    up = ups[0].get("with") or {}
    name = str(up.get("name", ""))
    if "${{ matrix.shard }}" not in name:
        die("the shards' artifact names must differ (upload-artifact@v4 refuses a name twice): put ${{ matrix.shard }} in it")
    if str(up.get("path", "")).rstrip("/") != out.rstrip("/"):
        die(f"the build job uploads {up.get('path')!r}, not the folder it built ({out!r})")
    needs = merge.get("needs")
    needs = [needs] if isinstance(needs, str) else (needs or [])
    if "build" not in needs:
        die("the merge job does not wait for the build job (needs: build)")
    downs = [(s.get("with") or {}) for s in steps(merge) if uses(s, "actions/download-artifact")]
    pattern = [d for d in downs if d.get("pattern")]
    if len(pattern) != 1:
        die("the merge job must download the shards with one download-artifact `pattern`")
    pattern = pattern[0]
    names = [name.replace("${{ matrix.shard }}", str(i)) for i in range(1, total + 1)]
    if not all(fnmatch.fnmatchcase(n, str(pattern["pattern"])) for n in names):
        die(f"the download pattern {pattern['pattern']!r} does not match every shard's artifact name")
    if pattern.get("merge-multiple"):
        die("merge-multiple would put every shard's manifest.json on one path: keep the shards in their own folders")
    merge_run = step_named(merge, "Merge shards").get("run", "")
    if not re.search(r"briefing manifest merge .*--out reports/manifest\.json", merge_run):
        die("the step “Merge shards” does not run `briefing manifest merge … --out reports/manifest.json`")
    print(f"workflow: {total} shards, matrix {shards}, build --shard, manifest merge")

def step_run(path, job, name, shard):
    wf = load(path)
    text = step_named(wf["jobs"][job], name).get("run", "")
    text = text.replace("${{ matrix.shard }}", shard)
    if "${{" in text:
        die(f"the step “{name}” uses an expression this check cannot fill in: {text}")
    sys.stdout.write(text)

def gitlab_check(doc):
    text = open(doc, encoding="utf-8").read()
    m = re.search(r"<!-- gitlab-ci -->\s*```yaml\n(.*?)```", text, re.S)
    if not m:
        die(f"{doc}: no ```yaml block after <!-- gitlab-ci -->")
    ci = yaml.safe_load(m.group(1))
    jobs = {k: v for k, v in ci.items() if isinstance(v, dict) and "script" in v}
    sharded = [v for v in jobs.values() if isinstance(v.get("parallel"), int) and v["parallel"] >= 2]
    if len(sharded) != 1:
        die("the GitLab snippet needs one job with `parallel: N`")
    script = "\n".join(sharded[0]["script"])
    if not re.search(r'--shard\s+"?\$CI_NODE_INDEX/\$CI_NODE_TOTAL"?', script):
        die("the GitLab job does not run --shard \"$CI_NODE_INDEX/$CI_NODE_TOTAL\"")
    merging = [v for v in jobs.values() if "manifest merge" in "\n".join(v["script"])]
    if len(merging) != 1:
        die("the GitLab snippet needs one job that runs `briefing manifest merge`")
    print(f"GitLab snippet: parallel: {sharded[0]['parallel']}, --shard $CI_NODE_INDEX/$CI_NODE_TOTAL, manifest merge")

def canonical(value):
    if isinstance(value, dict):
        return {k: canonical(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return sorted((canonical(v) for v in value), key=lambda v: json.dumps(v, sort_keys=True))
    return value

def json_same(a, b):
    ca, cb = (json.dumps(canonical(json.load(open(p, encoding="utf-8"))), indent=1, sort_keys=True, ensure_ascii=False) for p in (a, b))
    if ca != cb:
        import difflib
        sys.stderr.writelines(list(difflib.unified_diff(ca.splitlines(True), cb.splitlines(True), a, b))[:60])
        sys.exit(1)

def crontab_check(path, with_user):
    bad = []
    entries = 0
    text = open(path, encoding="utf-8").read()
    if text and not text.endswith("\n"):
        bad.append("the last line has no newline (cron ignores it)")
    for n, line in enumerate(text.splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("#") or re.match(r"^[A-Za-z_][A-Za-z0-9_]*\s*=", s):
            continue
        fields = s.split(None, 6 if with_user else 5)
        need = 7 if with_user else 6
        if len(fields) < need or not all(re.fullmatch(r"[0-9*/,-]+", f) for f in fields[:5]):
            bad.append(f"{n}: not `m h dom mon dow{' user' if with_user else ''} command`")
            continue
        entries += 1
        command = fields[-1]
        if re.search(r"(?<!\\)%", command):
            bad.append(f"{n}: an unescaped % (cron turns it into a newline)")
        if re.search(r"\bmail\b", command):
            bad.append(f"{n}: uses mail, which a base Debian does not have")
        if "briefing-nightly" not in command:
            bad.append(f"{n}: does not run briefing-nightly")
    if entries == 0:
        bad.append("no cron entry")
    if bad:
        die("\n".join(f"{path}:{b}" for b in bad))

commands = {
    "workflow-check": lambda a: workflow_check(a[0]),
    "step-run": lambda a: step_run(a[0], a[1], a[2], a[3] if len(a) > 3 else ""),
    "gitlab-check": lambda a: gitlab_check(a[0]),
    "json-same": lambda a: json_same(a[0], a[1]),
    "crontab-check": lambda a: crontab_check(a[0], a[1] == "user"),
}
commands[sys.argv[1]](sys.argv[2:])
PY
helper() { "$py" "$tmp/helper.py" "$@"; }

# A copy of FILE into DEST with a sed script applied; fails if the script changed nothing (a broken
# variant that is not broken would make its negative check meaningless).
mutate() { # FILE DEST SED_SCRIPT
  sed -e "$3" "$1" >"$2"
  if cmp -s "$1" "$2"; then
    echo "mutation did not apply to $1: $3" >&2
    return 1
  fi
  [[ -x $1 ]] && chmod +x "$2"
  return 0
}

# ---------------------------------------------------------------------------------------------
# systemd
sd_version=$(systemd-analyze --version)
echo "check-recipes: systemd (${sd_version%%$'\n'*}; PID 1 is $(cat /proc/1/comm 2>/dev/null || echo unknown))"
units=contrib/systemd
stub_bin=$tmp/stub-bin
mkdir -p "$stub_bin"
printf '#!/bin/sh\nexit 0\n' >"$stub_bin/briefing"
chmod +x "$stub_bin/briefing"
# verify checks that ExecStart's program exists: point it at the release binary, or a stub.
unit_binary=$stub_bin/briefing
[[ -x .build/release/briefing ]] && unit_binary=$repo/.build/release/briefing

# Copies the units into DIR with ExecStart's /usr/local/bin/briefing replaced.
prepare_units() { # DIR
  mkdir -p "$1"
  sed "s#/usr/local/bin/briefing#$unit_binary#g" "$units/briefing.service" >"$1/briefing.service"
  cp "$units/briefing.timer" "$1/briefing.timer"
}

# systemd-analyze verify of the units in DIR: fails on a non-zero exit and on any message at all,
# since an unknown or misspelt directive is only a warning ("Unknown key …, ignoring") with exit 0.
verify_out=""
verify_units() { # DIR
  local rc=0
  verify_out=$(cd "$1" && systemd-analyze verify ./briefing.service ./briefing.timer 2>&1) || rc=$?
  [[ $rc -eq 0 && -z $verify_out ]]
}

# The offline security review: an exposure above 2.0 (of 10; "OK" ends at 4.9) fails.
security_out=""
security_ok() { # DIR
  security_out=$(cd "$1" && systemd-analyze security --offline=true --threshold=20 ./briefing.service 2>&1)
}

# The SOURCE_DATE_EPOCH variant in the service's comment, made the ExecStart.
epoch_variant() { # DIR
  sed -i -e 's/^ExecStart=/#&/' -e 's/^#\(ExecStart=\/bin\/sh -c .*SOURCE_DATE_EPOCH\)/\1/' "$1/briefing.service"
  grep -q '^ExecStart=/bin/sh -c .*SOURCE_DATE_EPOCH' "$1/briefing.service"
}

# In a unit, % starts a specifier and $ an environment variable: the shell's must be %% and $$.
# verify catches an unknown specifier, but `%s` is a valid one (the user's shell): checked here.
escaped_for_systemd() { # DIR
  local line
  line=$(grep '^ExecStart=' "$1/briefing.service")
  line=${line//%%/}
  line=${line//\$\$/}
  [[ $line != *%* && $line != *\$* ]]
}

d=$tmp/units-ok
prepare_units "$d"
if verify_units "$d"; then ok "systemd-analyze verify briefing.service briefing.timer (ExecStart=$unit_binary)"
else fail "systemd-analyze verify of the units:"; indent <<<"$verify_out"; fi
if security_ok "$d"; then ok "systemd-analyze security --offline: $(grep -o 'Overall exposure level.*' <<<"$security_out")"
else fail "systemd-analyze security --threshold=20:"; tail -3 <<<"$security_out" | indent; fi

d=$tmp/units-epoch
prepare_units "$d"
if ! epoch_variant "$d"; then fail "the service has no commented SOURCE_DATE_EPOCH ExecStart to check"
elif ! verify_units "$d"; then fail "verify of the SOURCE_DATE_EPOCH variant:"; indent <<<"$verify_out"
elif ! escaped_for_systemd "$d"; then fail "the SOURCE_DATE_EPOCH variant has a bare % or \$ (write %% and \$\$)"
else ok "the SOURCE_DATE_EPOCH variant of ExecStart verifies, its % and \$ escaped"; fi

# The same checks must reject broken units.
# Each broken copy must fail for its own reason (REASON, in verify's messages), not another one.
expect_verify_fails() { # WHAT REASON SED_SCRIPT [FILE]
  local d=$tmp/units-bad-$RANDOM
  prepare_units "$d"
  local file=$d/${4:-briefing.service}
  mutate "$file" "$file.new" "$3" && mv "$file.new" "$file" || { fail "broken unit ($1) could not be made"; return; }
  if verify_units "$d"; then fail "verify accepted a broken unit: $1"
  elif ! grep -qF -- "$2" <<<"$verify_out"; then fail "verify rejected $1, but not for “$2”:"; indent <<<"$verify_out"
  else ok "verify rejects $1: $(grep -F -m1 -- "$2" <<<"$verify_out")"; fi
}
expect_verify_fails "a misspelt directive" "Unknown key 'NoNewPrivilegez'" 's/^NoNewPrivileges=/NoNewPrivilegez=/'
expect_verify_fails "a missing binary" "/nonexistent/briefing is not executable" 's#^ExecStart=[^ ]*#ExecStart=/nonexistent/briefing#'
expect_verify_fails "RestartForceExitStatus=75" "isn't allowed for Type=oneshot" 's/^RestartSec=.*/&\nRestartForceExitStatus=75/'
expect_verify_fails "a timer with a bad OnCalendar=" "Failed to parse calendar specification" 's/^OnCalendar=.*/OnCalendar=nightly at two/' briefing.timer
d=$tmp/units-weak
prepare_units "$d"
sed -i -E '/^(NoNewPrivileges|ProtectSystem|ProtectHome|Private[A-Za-z]*|CapabilityBoundingSet|SystemCallFilter|Protect[A-Za-z]*|Restrict[A-Za-z]*)=/d' "$d/briefing.service"
if security_ok "$d"; then fail "the security review accepted a unit without hardening"
else ok "the security review rejects a unit without hardening: $(grep -o 'Overall exposure level.*' <<<"$security_out")"; fi
d=$tmp/units-bare-percent
prepare_units "$d"
epoch_variant "$d" && sed -i 's/%%s/%s/' "$d/briefing.service"
if escaped_for_systemd "$d"; then fail "the escaping check accepted a bare %s"
elif verify_units "$d"; then ok "the escaping check rejects a bare %s (which verify lets through as the user's shell)"
else ok "the escaping check rejects a bare %s"; fi

# ---------------------------------------------------------------------------------------------
# cron
echo "check-recipes: cron"
wrapper=contrib/cron/briefing-nightly
if sh -n "$wrapper"; then ok "sh -n $wrapper"; else fail "sh -n $wrapper"; fi
if command -v shellcheck >/dev/null 2>&1; then
  if shellcheck -s sh "$wrapper"; then ok "shellcheck $wrapper"; else fail "shellcheck $wrapper"; fi
else
  skip "shellcheck: not installed"
fi
[[ -x $wrapper ]] || fail "$wrapper is not executable"

# logger must come from a package Debian always has.
if logger_path=$(command -v logger); then
  logger_pkg=$(dpkg -S "$logger_path" 2>/dev/null | cut -d: -f1 || true)
  essential=$(dpkg-query -W -f='${Essential}' "$logger_pkg" 2>/dev/null || true)
  if [[ -n $logger_pkg && $essential == yes ]]; then ok "logger is $logger_path from $logger_pkg (Essential: yes)"
  else fail "logger ($logger_path) is not from an Essential package (package: ${logger_pkg:-none})"; fi
else
  fail "no logger on this machine"
fi

# Stubs: briefing prints a line on each stream, its arguments and SOURCE_DATE_EPOCH, and exits
# $STUB_EXIT; logger appends "tag|priority|line" to $LOGGER_LOG. The wrapper runs with PATH set to
# these stubs only, so any other command it called would be "not found" and show.
stubs=$tmp/cron-stubs
mkdir -p "$stubs"
cat >"$stubs/briefing" <<'EOF'
#!/bin/sh
echo "stub out: $*|${SOURCE_DATE_EPOCH:-unset}"
echo "stub err: a layout error" >&2
exit "$STUB_EXIT"
EOF
cat >"$stubs/logger" <<'EOF'
#!/bin/sh
tag=; pri=user.notice
while [ $# -gt 0 ]; do
  case $1 in
    -t) tag=$2; shift 2 ;;
    -p) pri=$2; shift 2 ;;
    --) shift; break ;;
    -*) shift ;;
    *) break ;;
  esac
done
if [ $# -gt 0 ]; then
  printf '%s|%s|%s\n' "$tag" "$pri" "$*" >>"$LOGGER_LOG"
else
  while IFS= read -r line; do printf '%s|%s|%s\n' "$tag" "$pri" "$line" >>"$LOGGER_LOG"; done
fi
EOF
chmod +x "$stubs/briefing" "$stubs/logger"

# Runs WRAPPER for one case and checks everything; prints what is wrong and returns 1.
check_wrapper_case() { # WRAPPER STUB_EXIT EXPECTED_EXIT PRIORITY MESSAGE_PREFIX ALERTED(yes/no) [BRIEFING]
  local wrapper=$1 code=$2 want=$3 pri=$4 prefix=$5 alerted=$6 briefing=${7:-}
  local log=$tmp/logger.log alerts=$tmp/alerts.log out rc=0
  rm -f "$log" "$alerts"
  : >"$log"
  local -a env=(PATH="$stubs" LOGGER_LOG="$log" STUB_EXIT="$code" SOURCE_DATE_EPOCH=1767225600
    ALERT_COMMAND='printf "%s|%s\n" "$1" "$BRIEFING_EXIT" >>"$ALERTS_LOG"' ALERTS_LOG="$alerts")
  [[ -n $briefing ]] && env+=(BRIEFING="$briefing")
  out=$(env -i "${env[@]}" "$wrapper" --quiet --out "/srv/briefing/the reports" 2>&1 </dev/null) || rc=$?
  local problems=()
  [[ $rc == "$want" ]] || problems+=("exit $rc, expected $want")
  [[ -z $out ]] || problems+=("printed on its own output (cron would mail it): $out")
  if [[ $code != missing ]]; then
    grep -qxF "briefing|user.info|stub out: build --quiet --out /srv/briefing/the reports|1767225600" "$log" ||
      problems+=("briefing's standard output (with its arguments and SOURCE_DATE_EPOCH) not logged as user.info")
    grep -qxF "briefing|user.err|stub err: a layout error" "$log" ||
      problems+=("briefing's standard error not logged as user.err")
  fi
  local closing
  closing=$(tail -n 1 <(grep -E "^briefing\|user\.(info|warning|err)\|(done|busy|stopped|failed)" "$log") || true)
  [[ $closing == "briefing|user.$pri|$prefix"* ]] || problems+=("closing line “$closing”, expected user.$pri “$prefix…”")
  if [[ $alerted == yes ]]; then
    grep -qxF "${closing#briefing|user.$pri|}|$want" "$alerts" 2>/dev/null ||
      problems+=("ALERT_COMMAND not run with the closing message and BRIEFING_EXIT=$want")
  else
    [[ ! -s $alerts ]] || problems+=("ALERT_COMMAND run though nothing needs a person")
  fi
  if [[ ${#problems[@]} -gt 0 ]]; then
    echo "  briefing exiting $code:" >&2
    printf '    %s\n' "${problems[@]}" >&2
    sed 's/^/    log: /' "$log" >&2
    return 1
  fi
}

check_wrapper() { # WRAPPER
  local w=$1 bad=0
  check_wrapper_case "$w" 0 0 info "done:" no || bad=1
  check_wrapper_case "$w" 65 65 err "failed (exit 65)" yes || bad=1
  check_wrapper_case "$w" 75 0 warning "busy, will retry next run" no "$stubs/briefing" || bad=1
  check_wrapper_case "$w" 73 73 err "failed (exit 73)" yes || bad=1
  check_wrapper_case "$w" 143 143 warning "stopped by a signal" no || bad=1
  check_wrapper_case "$w" missing 127 err "failed (exit 127): cannot run" yes "$tmp/no-such-briefing" || bad=1
  return $bad
}

if check_wrapper "$wrapper"; then
  ok "the wrapper with briefing exiting 0, 65, 73, 75, 143 and missing: its exit codes, log lines, priorities and alerts"
else
  fail "the cron wrapper (above)"
fi

# The same check must reject broken wrappers.
expect_wrapper_fails() { # WHAT REASON SED_SCRIPT
  local m=$tmp/wrapper-bad-$RANDOM out
  if ! mutate "$wrapper" "$m" "$3"; then fail "broken wrapper ($1) could not be made"; return; fi
  if out=$(check_wrapper "$m" 2>&1); then fail "the wrapper check accepted a broken wrapper: $1"
  elif ! grep -qF -- "$2" <<<"$out"; then fail "the wrapper check rejected $1, but not for “$2”:"; indent <<<"$out"
  else ok "the wrapper check rejects $1: $(grep -F -m1 -- "$2" <<<"$out" | sed 's/^ *//')"; fi
}
expect_wrapper_fails "75 passed on as a failure" "exit 75, expected 0" '/busy, will retry next run/{n;s/exit 0/exit 75/;}'
expect_wrapper_fails "a lost exit code" "exit 0, expected 65" 's/echo "\$?" >&3/echo 0 >\&3/'
expect_wrapper_fails "standard error logged as info" "standard error not logged as user.err" 's/-p user\.err 3>/-p user.info 3>/'
expect_wrapper_fails "a call to mail" "mail: not found" 's/^log err "\$message"$/&\nprintf "%s\\n" "$message" | mail -s briefing root/'

# The cron.d file, the README's line, and the old line with mail (which the lint must reject).
if out=$(helper crontab-check contrib/cron/briefing.cron user 2>&1); then ok "contrib/cron/briefing.cron: entries well-formed, run briefing-nightly, no bare %, no mail"
else fail "contrib/cron/briefing.cron:"; indent <<<"$out"; fi
readme_cron=$tmp/readme.crontab
awk '/^## Scheduling builds/ { s = 1; next } /^## / { s = 0 } s && /^```cron/ { c = 1; next } c && /^```/ { c = 0 } c' README.md >"$readme_cron"
if out=$(helper crontab-check "$readme_cron" nouser 2>&1); then ok "README.md's cron line runs briefing-nightly, no mail"
else fail "README.md's cron block:"; indent <<<"$out"; fi
# The README's old line, word for word: mail.
cat >"$tmp/old.crontab" <<'EOF'
15 2 * * *  cd /srv/briefing && SOURCE_DATE_EPOCH=$(date -d 'today 00:00' +\%s) .build/release/briefing build --out /srv/reports >>/var/log/briefing.log 2>&1 || echo "briefing failed: $?" | mail -s briefing ops@example.org
EOF
out=$(helper crontab-check "$tmp/old.crontab" nouser 2>&1 || true)
if ! grep -q "uses mail" <<<"$out"; then fail "the cron lint does not reject the old README line for its mail"
else ok "the cron lint rejects the old README line (mail)"; fi
cat >"$tmp/percent.crontab" <<'EOF'
15 2 * * *  cd /srv/briefing && SOURCE_DATE_EPOCH=$(date -d 'today 00:00' +%s) /usr/local/bin/briefing-nightly
EOF
out=$(helper crontab-check "$tmp/percent.crontab" nouser 2>&1 || true)
if ! grep -q "unescaped %" <<<"$out"; then fail "the cron lint does not reject a bare %"
else ok "the cron lint rejects a bare % in a command"; fi

# ---------------------------------------------------------------------------------------------
# CI
echo "check-recipes: CI"
workflow=contrib/ci/github-actions.yml
if out=$(helper workflow-check "$workflow" 2>&1); then ok "$out"
else fail "$workflow:"; indent <<<"$out"; fi
if out=$(helper gitlab-check docs/scheduling.md 2>&1); then ok "$out"
else fail "docs/scheduling.md:"; indent <<<"$out"; fi
expect_workflow_fails() { # WHAT REASON SED_SCRIPT
  local m=$tmp/workflow-bad-$RANDOM.yml out
  if ! mutate "$workflow" "$m" "$3"; then fail "broken workflow ($1) could not be made"; return; fi
  if out=$(helper workflow-check "$m" 2>&1); then fail "the workflow check accepted a broken workflow: $1"
  elif ! grep -qF -- "$2" <<<"$out"; then fail "the workflow check rejected $1, but not for “$2”:"; indent <<<"$out"
  else ok "the workflow check rejects $1: $out"; fi
}
expect_workflow_fails "a matrix missing a shard" "matrix.shard is [1, 2, 3]" 's/shard: \[1, 2, 3, 4\]/shard: [1, 2, 3]/'
expect_workflow_fails "one artifact name for every shard" "artifact names must differ" 's/name: briefing-shard-\${{ matrix.shard }}/name: briefing-shard/'
expect_workflow_fails "no manifest merge" "does not run \`briefing manifest merge" 's/briefing manifest merge .*/true/'
expect_workflow_fails "shards downloaded into one folder" "merge-multiple" 's/^\( *\)pattern: briefing-shard-\*/&\n\1merge-multiple: true/'

# Runs the workflow's "Build shard" step for every shard and its "Merge shards" step in WORKDIR,
# with BINARY as .build/release/briefing, the upload/download between them done as the artifact
# actions do (hidden files are not uploaded); then one unsharded build into WORKDIR/single.
run_workflow_locally() { # BINARY WORKDIR
  local bin=$1 w=$2 total i script
  total=$("$py" -c 'import sys, yaml; print(int(yaml.safe_load(open(sys.argv[1]))["env"]["SHARDS"]))' "$workflow")
  rm -rf "$w"
  mkdir -p "$w/.build/release" "$w/shards"
  ln -s "$repo/layouts" "$w/layouts"
  ln -s "$repo/seeds" "$w/seeds"
  ln -s "$bin" "$w/.build/release/briefing"
  for ((i = 1; i <= total; i++)); do
    script=$(helper step-run "$workflow" build "Build shard" "$i") || return 1
    (cd "$w" && SHARDS=$total bash --noprofile --norc -e -c "$script") >"$w/shard-$i.log" 2>&1 ||
      { echo "Build shard $i/$total failed:" >&2; indent <"$w/shard-$i.log"; return 1; }
    [[ -f $w/shard-$i/manifest.json ]] || { echo "shard $i/$total wrote no manifest.json" >&2; return 1; }
    cp -R "$w/shard-$i" "$w/shards/briefing-shard-$i"
    find "$w/shards/briefing-shard-$i" -mindepth 1 -name '.*' -prune -exec rm -rf {} +
  done
  # Shards write disjoint files: no file but manifest.json in two of them.
  local shared
  shared=$(cd "$w/shards" && find . -mindepth 2 -type f ! -name manifest.json | cut -d/ -f3- | sort | uniq -d)
  [[ -z $shared ]] || { echo "files written by more than one shard:" >&2; indent <<<"$shared"; return 1; }
  script=$(helper step-run "$workflow" merge "Merge shards") || return 1
  (cd "$w" && SHARDS=$total bash --noprofile --norc -e -c "$script") >"$w/merge.log" 2>&1 ||
    { echo "Merge shards failed:" >&2; indent <"$w/merge.log"; return 1; }
  (cd "$w" && .build/release/briefing build --out single) >"$w/single.log" 2>&1 ||
    { echo "the unsharded build failed:" >&2; indent <"$w/single.log"; return 1; }
}

# The published files (hidden ones aside) of A and B: the same names, each byte-identical;
# manifest.json compared as JSON (keys and list order aside) when its bytes differ.
compare_trees() { # A B
  local a=$1 b=$2 la lb f
  la=$(cd "$a" && find . -path '*/.*' -prune -o -type f -print | sort)
  lb=$(cd "$b" && find . -path '*/.*' -prune -o -type f -print | sort)
  if [[ $la != "$lb" ]]; then
    echo "different files in $a and $b:" >&2
    diff <(echo "$la") <(echo "$lb") | indent || true
    return 1
  fi
  [[ -n $la ]] || { echo "no files in $a" >&2; return 1; }
  while IFS= read -r f; do
    cmp -s "$a/$f" "$b/$f" && continue
    if [[ $(basename "$f") == manifest.json ]] && helper json-same "$a/$f" "$b/$f"; then continue; fi
    echo "$f differs" >&2
    return 1
  done <<<"$la"
}

# The comparison itself, on small trees: it must accept equal ones and reject the others.
ct=$tmp/compare
mkdir -p "$ct/a/sub" && printf 'pdf\n' >"$ct/a/x.pdf" && printf 'svg\n' >"$ct/a/sub/y.svg" &&
  printf '{"b":[1,2],"a":1}\n' >"$ct/a/manifest.json" && printf 'pid 1\n' >"$ct/a/.lock"
cp -R "$ct/a" "$ct/same" && printf '{"a":1,"b":[2,1]}' >"$ct/same/manifest.json" && printf 'pid 2\n' >"$ct/same/.lock"
cp -R "$ct/a" "$ct/extra" && printf 'z\n' >"$ct/extra/z.png"
cp -R "$ct/a" "$ct/byte" && printf 'pdF\n' >"$ct/byte/x.pdf"
cp -R "$ct/a" "$ct/man" && printf '{"a":2,"b":[1,2]}\n' >"$ct/man/manifest.json"
if compare_trees "$ct/a" "$ct/same" 2>/dev/null && ! compare_trees "$ct/a" "$ct/extra" 2>/dev/null &&
  ! compare_trees "$ct/a" "$ct/byte" 2>/dev/null && ! compare_trees "$ct/a" "$ct/man" 2>/dev/null; then
  ok "the folder comparison accepts equal folders and rejects an extra file, a changed byte, a different manifest"
else
  fail "the folder comparison does not tell equal folders from different ones"
fi

# A fake briefing that shards, builds and merges the way the interface says, to run the workflow's
# own shell steps here whatever the real binary can do; FAKE_BUG=overlap makes every shard build
# everything, FAKE_BUG=drop makes shard 1 lose a briefing.
fake=$tmp/fake-briefing
cat >"$fake" <<EOF
#!/usr/bin/env bash
exec "$py" "$tmp/fake.py" "\$@"
EOF
chmod +x "$fake"
cat >"$tmp/fake.py" <<'PY'
import hashlib, json, os, sys
args = sys.argv[1:]
def opt(name, default=None):
    return args[args.index(name) + 1] if name in args else default
bug = os.environ.get("FAKE_BUG", "")
if args[:1] == ["build"]:
    out = opt("--out", "reports")
    i, n = map(int, opt("--shard", "1/1").split("/"))
    names = [f"b{k}" for k in range(1, 8)]
    mine = [b for k, b in enumerate(names) if bug == "overlap" or k % n == i - 1]
    if bug == "drop" and i == 1 and n > 1:
        mine = mine[1:]
    os.makedirs(os.path.join(out, "regions"), exist_ok=True)
    entries = []
    for b in mine:
        files = [f"{b}.pdf", f"regions/{b}-chart.svg"]
        for f in files:
            with open(os.path.join(out, f), "w") as fh:
                fh.write(f"{b} {f} {os.environ.get('SOURCE_DATE_EPOCH', '')}\n")
        entries.append({"briefing": b, "outputs": [{"path": f, "sha256": hashlib.sha256(open(os.path.join(out, f), "rb").read()).hexdigest()} for f in files]})
    open(os.path.join(out, ".lock"), "w").write(str(os.getpid()))
    json.dump({"briefings": entries}, open(os.path.join(out, "manifest.json"), "w"), indent=1)
elif args[:2] == ["manifest", "merge"]:
    out = opt("--out")
    inputs = [a for a in args[2:] if a not in ("--out", out)]
    entries, claimed = [], {}
    for path in inputs:
        for e in json.load(open(path))["briefings"]:
            for o in e["outputs"]:
                if o["path"] in claimed:
                    sys.exit(f"{o['path']} is claimed by {claimed[o['path']]} and {path}")
                claimed[o["path"]] = path
            entries.append(e)
    entries.sort(key=lambda e: e["briefing"])
    json.dump({"briefings": entries}, open(out, "w"), indent=1)
else:
    sys.exit(64)
PY

export SOURCE_DATE_EPOCH=1767225600
if run_workflow_locally "$fake" "$tmp/ci-fake" && compare_trees "$tmp/ci-fake/reports" "$tmp/ci-fake/single"; then
  ok "the workflow's Build shard and Merge shards steps, run here with a fake briefing, give the unsharded build's files"
else
  fail "the workflow's steps with a fake briefing (above)"
fi
for bug in overlap:"more than one shard" drop:"different files"; do
  reason=${bug#*:} bug=${bug%%:*}
  case $bug in overlap) what="overlap" ;; *) what="lose a briefing" ;; esac
  if out=$( (export FAKE_BUG=$bug; run_workflow_locally "$fake" "$tmp/ci-fake-$bug" && compare_trees "$tmp/ci-fake-$bug/reports" "$tmp/ci-fake-$bug/single") 2>&1); then
    fail "the local workflow run accepted shards that $what"
  elif ! grep -qF -- "$reason" <<<"$out"; then fail "the local workflow run rejected shards that $what, but not for “$reason”:"; indent <<<"$out"
  else ok "the local workflow run rejects shards that $what: $(grep -F -m1 -- "$reason" <<<"$out")"; fi
done

# The real binary, when it can shard.
bin=.build/release/briefing
shard_skip=""
if [[ ! -x $bin ]]; then
  shard_skip="shard run: no $bin (make release builds it)"
else
  # Into a variable first: grep -q closing the pipe early would fail briefing under pipefail.
  build_help=$("$bin" build --help 2>&1 || true)
  grep -q -- --shard <<<"$build_help" || shard_skip="shard run: briefing has no --shard yet"
fi
if [[ -n $shard_skip ]]; then
  if [[ ${CHECK_RECIPES_REQUIRE_SHARD:-} == 1 ]]; then fail "$shard_skip (CHECK_RECIPES_REQUIRE_SHARD=1)"
  else skip "$shard_skip"; fi
else
  started=$SECONDS
  if run_workflow_locally "$repo/$bin" "$tmp/ci-real" && compare_trees "$tmp/ci-real/reports" "$tmp/ci-real/single"; then
    count=$(cd "$tmp/ci-real/reports" && find . -path '*/.*' -prune -o -type f -print | wc -l)
    ok "the workflow's steps with $bin: $count files merged from the shards, identical to one unsharded build ($((SECONDS - started))s)"
  else
    fail "the workflow's steps with $bin (above)"
  fi
fi

# ---------------------------------------------------------------------------------------------
if [[ $failures -gt 0 ]]; then
  echo "check-recipes: $failures check(s) failed" >&2
  exit 1
fi
echo "check-recipes: all recipe checks passed"
