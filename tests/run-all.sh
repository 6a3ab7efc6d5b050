#!/usr/bin/env bash
# `npm test`: the whole suite — typecheck, lint, content check, build, unit and integration tests (Vitest),
# browser tests (Playwright on a system Chromium), and with TEST_RELIABILITY=1 the slow reliability
# tests (tests/reliability). Integration tests use the real PostgreSQL
# server when DATABASE_URL is set, else PGlite. Every step runs even after a failure, so one run
# shows everything that is wrong; the exit code is non-zero if any step failed.
set -uo pipefail
cd "$(dirname "$0")/.."

mkdir -p tests/.tmp
failed=()
timings=()
now() { date +%s.%N; }
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", b - a }'; }
# CPU seconds (user + system) of a command and everything it waited for, from bash's `times`
# in a subshell (no extra package): on two cores the suite is CPU-bound, so this, not the wall
# time, says where the time goes (the PostgreSQL server's own CPU is not in it).
cpu_run() {
  local out="$1"
  shift
  # `times` itself, not in a pipeline: a pipeline's subshell starts with no children's times.
  ( "$@"; rc=$?; times > "$out"; exit $rc )
}
cpu_of() {
  local c
  c=$(awk 'NR == 2 { n = 0; for (i = 1; i <= 2; i++) { v = $i; sub(/s$/, "", v); split(v, p, "m"); n += p[1] * 60 + p[2] } printf "%.0f", n }' "$1" 2>/dev/null)
  echo "${c:+, $c CPU-s}"
}
step() {
  local name="$1"
  shift
  printf '\n\033[1m== %s\033[0m\n' "$name"
  local start file="tests/.tmp/step-${name//[^a-z]/_}"
  start=$(now)
  rm -f "$file.cpu"
  if ! cpu_run "$file.cpu" "$@"; then failed+=("$name"); fi
  timings+=("$name $(seconds "$start" "$(now)") s$(cpu_of "$file.cpu")")
}
# A step run in the background (its output kept and printed when it is collected): the checks
# that need nothing but the sources overlap with the build, the reliability tests with the
# embedded step.
declare -A bg_pid bg_start
background() {
  local name="$1"
  shift
  bg_start[$name]=$(now)
  local file="tests/.tmp/step-${name//[^a-z]/_}"
  rm -f "$file.end" "$file.cpu"
  # The step's own end time, so its figure is its duration, not the time until it is collected.
  ( cpu_run "$file.cpu" "$@" > "$file.log" 2>&1; rc=$?; now > "$file.end"; exit $rc ) &
  bg_pid[$name]=$!
}
collect() {
  local name="$1" beside="${2-build}" rc=0 end
  local file="tests/.tmp/step-${name//[^a-z]/_}"
  wait "${bg_pid[$name]}" || rc=$?
  printf '\n\033[1m== %s\033[0m\n' "$name"
  cat "$file.log"
  [ "$rc" = 0 ] || failed+=("$name")
  end=$(cat "$file.end" 2>/dev/null || now)
  timings+=("$name $(seconds "${bg_start[$name]}" "$end") s$(cpu_of "$file.cpu")${beside:+ (song song với $beside)}")
}

if [ -n "${DATABASE_URL:-}" ]; then
  echo "Cơ sở dữ liệu kiểm thử: PostgreSQL thật ($(node -e 'const u=new URL(process.env.DATABASE_URL);console.log(u.host+u.pathname)'))"
else
  echo "Cơ sở dữ liệu kiểm thử: PGlite (chưa đặt DATABASE_URL; các kiểm thử cần PostgreSQL thật sẽ được báo là skipped)"
fi

suite_start=$(now)
# Incremental: a second run re-checks only what changed since the last one (its state in tests/.tmp,
# as eslint's cache); a fresh clone checks everything.
background typecheck npx tsc --noEmit --incremental --tsBuildInfoFile tests/.tmp/tsconfig.tsbuildinfo
background lint npx eslint --max-warnings 0 --cache --cache-location tests/.tmp/eslintcache .
background "content:check" npm run --silent content:check
step build npx remix vite:build --logLevel warn
# Everything after the build runs at once: the browser tests wait on the browser and the server far
# more than they compute (about half a core), the reliability tests mostly wait on a database
# stopped and started, so beside the Vitest run (which keeps both cores busy) they fill what would
# be idle time. Each keeps its own output, printed when it is collected (docs/decisions/019).
rm -f tests/.tmp/vitest.json tests/.tmp/playwright.json tests/.tmp/reliability.json tests/.tmp/embedded.json
step chromium bash tests/ensure-chromium.sh
browser=""
if [[ ! " ${failed[*]} " =~ " chromium " ]] && [[ ! " ${failed[*]} " =~ " build " ]]; then
  # Playwright's server (`npm start`) reuses the build above when it is fresh; say so if not.
  node_modules/.bin/tsx -e 'import { buildState } from "./app/server/build-check"; const s = buildState("."); if (s !== "fresh") console.log(`[test] bản build ${s}: Playwright sẽ build lại`)'
  background "browser (Playwright)" env PLAYWRIGHT_JSON_OUTPUT_NAME=tests/.tmp/playwright.json npx playwright test --reporter=list,json
  browser=1
fi
# The slow reliability tests (a private PostgreSQL stopped and started under load): CI sets
# TEST_RELIABILITY=1; alone: `npm run test:reliability`.
if [ "${TEST_RELIABILITY:-}" = 1 ]; then
  background reliability npx vitest run --config vitest.reliability.config.ts --reporter=default --reporter=json --outputFile.json=tests/.tmp/reliability.json
fi
# Unit and integration tests; with DATABASE_URL also the "embedded" project: the roster, report,
# learning and certificate integration tests again on the embedded database (PGlite), the mode a
# newcomer starts with (vitest.config.ts). Without DATABASE_URL the integration project already
# runs on PGlite.
step "unit + integration" npx vitest run --reporter=default --reporter=json --outputFile.json=tests/.tmp/vitest.json
collect typecheck
collect lint
collect "content:check"
if [ "${TEST_RELIABILITY:-}" = 1 ]; then collect reliability "unit + integration"; fi
if [ -n "$browser" ]; then collect "browser (Playwright)" "unit + integration"; fi

# The closing lines: time per layer, the verdict, and last the count, exactly
# `tests: N passed, N failed, N skipped` (CI reads the last line).
times > tests/.tmp/suite.cpu # every step, each waited for, is a child of this shell
if [ ${#failed[@]} -gt 0 ]; then verdict="Thất bại ở: ${failed[*]}"; else verdict="Tất cả đều đạt."; fi
node -e '
const fs = require("fs")
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, "utf8")) } catch { return null } }
let passed = 0, failed = 0, skipped = 0
for (const file of ["tests/.tmp/vitest.json", "tests/.tmp/embedded.json", "tests/.tmp/reliability.json"]) {
  const v = read(file)
  if (v) { passed += v.numPassedTests; failed += v.numFailedTests; skipped += v.numPendingTests + v.numTodoTests }
}
const p = read("tests/.tmp/playwright.json")
if (p) { passed += p.stats.expected + p.stats.flaky; failed += p.stats.unexpected; skipped += p.stats.skipped }
console.log("\nThời gian từng lớp:\n" + process.argv[1].split("\n").map((l) => "  " + l).join("\n"))
console.log(process.argv[2])
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`)
' "$(printf '%s\n' "${timings[@]}" "tổng $(seconds "$suite_start" "$(now)") s$(cpu_of tests/.tmp/suite.cpu) (không tính CPU của máy chủ PostgreSQL)")" "$verdict"
[ ${#failed[@]} -eq 0 ]
