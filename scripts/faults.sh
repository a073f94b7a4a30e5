#!/usr/bin/env bash
# `npm run test:faults`: the whole-stack fault tier (issue #13). It starts everything it needs
# and never touches what `npm start` or `npm test` use, because it restarts them:
#   - its own PostgreSQL cluster (port FAULTS_PG_PORT=25433, data in .local/faults/postgres),
#   - its own Kafka broker (ports +FAULTS_PORT_OFFSET=20000: :29092, fresh data each run),
#   - every service as a separate process on ports +20000, two replicas of sync-engine and
#     outbound-dispatcher, and the PagerDuty simulator;
# then runs jest -c jest/faults.config.js and stops everything it started.
# FAULTS_SEED=<n> replays a run's seed; FAULTS_LOAD_SECONDS (300) sets the load's length.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/ensure-install.sh" || exit 1

export TEST_PORT_OFFSET="${FAULTS_PORT_OFFSET:-20000}"
export KAFKA_PORT=$((9092 + TEST_PORT_OFFSET)) KAFKA_CONTROLLER_PORT=$((9093 + TEST_PORT_OFFSET)) KAFKAJS_NO_PARTITIONER_WARNING=1
export PGPORT_LOCAL="${FAULTS_PG_PORT:-25433}" PGDATA_LOCAL=.local/faults/postgres
export STACK_REPLICAS="sync-engine outbound-dispatcher"
# A late answer from PagerDuty is a timeout sooner; auth answers are re-checked sooner.
export DISPATCH_REQUEST_TIMEOUT_MS="${DISPATCH_REQUEST_TIMEOUT_MS:-2500}"
# Faults overlap: a service SIGKILLed while the broker restarts waits for the broker, then for
# its consumer group to rebalance; on a busy 2-core machine that can pass the default 120 s.
export READY_TIMEOUT="${READY_TIMEOUT:-240}"
unset DATABASE_URL
DB="incident_sync_test_$TEST_PORT_OFFSET"
export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:$PGPORT_LOCAL/$DB" TEST_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT"

cleanup() {
  "$ROOT/scripts/stack.sh" down --profile test >/dev/null 2>&1 || true
  "$ROOT/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true
  "$ROOT/deploy/local/postgres.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

t0=$(date +%s)
[ "${FAULTS_NO_BUILD:-0}" = 1 ] || npx tsc -p tsconfig.build.json || exit 1
"$ROOT/deploy/local/kafka.sh" reset >&2 && "$ROOT/deploy/local/kafka.sh" start >&2 || exit 1
PGDATABASE_NAME=$DB "$ROOT/deploy/local/postgres.sh" ensure >/dev/null || exit 1
psql -h 127.0.0.1 -p "$PGPORT_LOCAL" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
PGDATABASE_NAME=$DB "$ROOT/deploy/local/postgres.sh" ensure >/dev/null || exit 1
node -r "$ROOT/tools/register-paths.js" -e '
  require("@incident-sync/messaging").ensureTopics(["127.0.0.1:'"$KAFKA_PORT"'"])
    .then(() => console.error("[faults] topics created"), (e) => { console.error(e); process.exit(1); });' || exit 1
"$ROOT/scripts/stack.sh" up --profile test --no-build || exit 1
echo "[faults] stack up in $(( $(date +%s) - t0 )) s"
npx jest -c jest/faults.config.js --ci "$@"
rc=$?
echo "[faults] done in $(( $(date +%s) - t0 )) s (exit $rc)"
exit $rc
