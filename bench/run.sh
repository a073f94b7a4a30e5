#!/usr/bin/env bash
# `npm run bench` (issue #16): brings up a stack of its own and runs bench/run.ts against it,
# then stops what it started. Never touches the dev stack (`npm start`) or the test stacks:
#   - its own Kafka broker on ports +BENCH_PORT_OFFSET (default 53000: :62092, fresh data each run),
#   - its own database incident_sync_test_<offset> (dropped and recreated) on the local PostgreSQL,
#   - every service and the PagerDuty simulator on ports +offset (gateway :48080, simulator :48090).
# BENCH_QUICK=1 shortens every scenario (for a busy machine); BENCH_ONLY=inbound,outbound,
# coalescing,ratelimit,ingress runs a subset. BENCH_NO_BUILD=1 skips `tsc`.
# BENCH_USE_RUNNING=1 measures a test-profile stack that is already up on BENCH_PORT_OFFSET
# (e.g. your own TEST_PORT_OFFSET stack) and starts or stops nothing.
set -uo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"

offset="${BENCH_PORT_OFFSET:-53000}"
export TEST_PORT_OFFSET="$offset" BENCH_PORT_OFFSET="$offset"
export KAFKA_PORT=$((9092 + offset)) KAFKA_CONTROLLER_PORT=$((9093 + offset)) KAFKAJS_NO_PARTITIONER_WARNING=1
export BENCH_GATEWAY_URL="http://127.0.0.1:$((8080 + offset))" BENCH_SIMULATOR_URL="http://127.0.0.1:$((8090 + offset))"
export BENCH_KAFKA_BROKERS="127.0.0.1:$KAFKA_PORT" BENCH_RUN_DIR="$ROOT/.local/run/test-$offset"
# The test profile's fixed admin key (scripts/stack.sh load_secrets; 127.0.0.1 only).
export BENCH_ADMIN_API_KEY=test-admin-cb7cb2927d9956d904a0e8bb0adfc0134bb9a2de
# …and its fixed gateway token: the ingress scenario also calls webhook-ingress directly, to
# measure the gateway hop apart.
export BENCH_GATEWAY_TOKEN=test-gateway-5f0d7c1e93a24b6f8e2d41c07a9b3e6d52f18c4a
DB="incident_sync_test_$offset"
log() { printf '[bench] %s\n' "$*" >&2; }

started=0
cleanup() {
  [ "$started" = 1 ] || return 0
  log "stopping the bench stack and its Kafka"
  "$ROOT/scripts/stack.sh" down --profile test >/dev/null 2>&1 || true
  "$ROOT/deploy/local/kafka.sh" stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ "$offset" = 0 ] || [ "$offset" = 10000 ]; then
  log "BENCH_PORT_OFFSET=$offset is the dev or default test stack's; pick another"; exit 2
fi
t0=$(date +%s)
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then npx tsc -p tsconfig.build.json || exit 1; fi
if [ "${BENCH_USE_RUNNING:-0}" = 1 ]; then
  log "measuring the running stack on offset $offset (nothing started or stopped)"
else
  started=1
  "$ROOT/scripts/stack.sh" down --profile test >/dev/null 2>&1 || true
  "$ROOT/deploy/local/kafka.sh" reset >&2 && "$ROOT/deploy/local/kafka.sh" start >&2 || exit 1
  url="$(PGDATABASE_NAME=$DB "$ROOT/deploy/local/postgres.sh" ensure | tail -1)" || exit 1
  # A fresh database: the broker starts empty, so no outbox or inbox state may survive either.
  psql "${url%/*}/postgres" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || exit 1
  PGDATABASE_NAME=$DB "$ROOT/deploy/local/postgres.sh" ensure >/dev/null || exit 1
  node -r "$ROOT/tools/register-paths.js" -e '
    require("@incident-sync/messaging").ensureTopics(["127.0.0.1:'"$KAFKA_PORT"'"])
      .then(() => console.error("[bench] topics created"), (e) => { console.error(e); process.exit(1); });' || exit 1
  # A port can be held for a moment by another stack's client connection (EADDRINUSE at
  # start). One more try after stopping what did start.
  if ! "$ROOT/scripts/stack.sh" up --profile test --no-build; then
    log "the stack did not come up; trying once more"
    "$ROOT/scripts/stack.sh" down --profile test >/dev/null 2>&1 || true
    "$ROOT/scripts/stack.sh" up --profile test --no-build || exit 1
  fi
  log "stack up in $(( $(date +%s) - t0 )) s"
fi
node -r "$ROOT/tools/register-paths.js" "$ROOT/dist/bench/run.js"
rc=$?
log "done in $(( $(date +%s) - t0 )) s (exit $rc)"
exit $rc
