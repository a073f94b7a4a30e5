#!/usr/bin/env bash
# `npm test`: every test tier on a fresh clone. Installs what is missing, type-checks and
# lints, runs unit tests, starts the TEST stack (its own Kafka on :19092 with a fresh data
# folder, its own database incident_sync_test, services on ports +10000), runs the
# integration, end-to-end and security tiers, stops what it started, and prints each tier's time.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/ensure-install.sh" || exit 1

# TEST_PORT_OFFSET (default 10000) shifts the test stack's ports, Kafka data and database, so
# several checkouts on one machine can run their tests side by side.
export TEST_PORT_OFFSET="${TEST_PORT_OFFSET:-10000}"
TEST_DB=incident_sync_test; [ "$TEST_PORT_OFFSET" = 10000 ] || TEST_DB="incident_sync_test_$TEST_PORT_OFFSET"
export KAFKA_PORT=$((9092 + TEST_PORT_OFFSET)) KAFKA_CONTROLLER_PORT=$((9093 + TEST_PORT_OFFSET)) KAFKAJS_NO_PARTITIONER_WARNING=1
RESULTS="$ROOT/.local/test-results"; rm -rf "$RESULTS"; mkdir -p "$RESULTS"
declare -a SUMMARY=()
failed_tiers=0

cleanup() {
  "$ROOT/scripts/stack.sh" down --profile test >/dev/null 2>&1 || true
  "$ROOT/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

tier() {
  local name="$1"; shift
  local t0=$(date +%s); echo; echo "=== $name"
  if "$@"; then SUMMARY+=("$name: ok in $(( $(date +%s) - t0 )) s")
  else SUMMARY+=("$name: FAILED in $(( $(date +%s) - t0 )) s"); failed_tiers=$((failed_tiers+1)); fi
}

jest_tier() {
  local cfg="$1"
  npx jest -c "jest/$cfg.config.js" --ci --json --outputFile="$RESULTS/$cfg.json" "${@:2}"
}

tier "build" npx tsc -p tsconfig.build.json
tier "typecheck" npx tsc -p tsconfig.json --noEmit
tier "lint" npm run -s lint
tier "unit" jest_tier unit

start_infra() {
  "$ROOT/deploy/local/kafka.sh" reset >&2 && "$ROOT/deploy/local/kafka.sh" start >&2 || return 1
  psql -h 127.0.0.1 -U "${PGUSER:-postgres}" -d postgres -qc "DROP DATABASE IF EXISTS $TEST_DB WITH (FORCE)" >/dev/null 2>&1 || true
  PGDATABASE_NAME=$TEST_DB "$ROOT/deploy/local/postgres.sh" ensure >/dev/null || return 1
  # Every topic exists (with elected leaders) before any suite runs: a suite that creates
  # topics itself and reads their offsets at once can meet "not the leader" on a fresh broker.
  node -r "$ROOT/tools/register-paths.js" -e '
    require("@incident-sync/messaging").ensureTopics(["127.0.0.1:'"$KAFKA_PORT"'"])
      .then(() => console.error("[test] topics created"), (e) => { console.error(e); process.exit(1); });'
}
tier "test stack (Kafka + PostgreSQL)" start_infra
tier "integration" jest_tier int
tier "services up" "$ROOT/scripts/stack.sh" up --profile test --no-build
tier "e2e" jest_tier e2e
tier "security" jest_tier security

echo; echo "=== summary"
printf '  %s\n' "${SUMMARY[@]}"
node -e '
  const fs = require("fs"); let p = 0, f = 0;
  for (const t of ["unit", "int", "e2e", "security"]) {
    try { const r = JSON.parse(fs.readFileSync(process.argv[1] + "/" + t + ".json", "utf8")); p += r.numPassedTests; f += r.numFailedTests; console.log(`  ${t}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`); }
    catch { console.log(`  ${t}: no results`); }
  }
  console.log(`${p} passed, ${f} failed`);
' "$RESULTS"
[ "$failed_tiers" -eq 0 ]
