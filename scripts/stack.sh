#!/usr/bin/env bash
# Starts and stops the whole product on this machine without Docker: Kafka (deploy/local),
# PostgreSQL (deploy/local), every service and the PagerDuty simulator, as background
# processes with pid and log files under .local/run/<profile>/.
#
#   scripts/stack.sh up [--profile dev|test] [--no-build]
#   scripts/stack.sh down [--profile dev|test]
#   scripts/stack.sh restart <service> [--profile dev|test]
#   scripts/stack.sh crash <service> [--profile dev|test]     (SIGKILL, then start again)
#   scripts/stack.sh status [--profile dev|test]
#
# Profiles: dev = the product (gateway :8080, Kafka :9092, database incident_sync);
# test = the same shifted by +10000 ports, its own Kafka data folder and database
# incident_sync_test, so `npm test` runs while `npm start` is up.
# Set PAGERDUTY_SIMULATOR=off to run against a real PagerDuty (no simulator started).
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"

cmd="${1:-}"; shift || true
profile=dev; build=1; target=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    *) target="$1"; shift ;;
  esac
done

case "$profile" in
  dev) offset=0; db_name=incident_sync ;;
  # TEST_PORT_OFFSET (default 10000) moves the whole test stack (ports, Kafka data folder,
  # database) so several checkouts on one machine can each run their own.
  test) offset=${TEST_PORT_OFFSET:-10000}; db_name=incident_sync_test; [ "$offset" = 10000 ] || db_name="incident_sync_test_$offset" ;;
  *) echo "unknown profile: $profile (dev|test)" >&2; exit 2 ;;
esac

# Logs: readable lines for people in dev, JSON lines (as in production) in the test stack.
if [ "$profile" = dev ]; then log_format=${LOG_FORMAT:-pretty}; else log_format=${LOG_FORMAT:-json}; fi

RUN_DIR="$ROOT/.local/run/$profile"
[ "$profile" = test ] && [ "$offset" != 10000 ] && RUN_DIR="$ROOT/.local/run/$profile-$offset"
LOG_DIR="$RUN_DIR/logs"
mkdir -p "$LOG_DIR"

# Start order: integration-config first (others read integrations from it), gateway last.
SERVICES=(integration-config incidents webhook-ingress sync-engine outbound-dispatcher dlq-manager pagerduty-sim gateway)
declare -A BASE_PORT=([gateway]=8080 [integration-config]=8081 [incidents]=8082 [webhook-ingress]=8083 [sync-engine]=8084 [outbound-dispatcher]=8085 [dlq-manager]=8086 [pagerduty-sim]=8090)
# STACK_REPLICAS="sync-engine outbound-dispatcher" starts a second instance of each named service
# (<name>-2, on its port + 100): they share the work through their Kafka consumer group.
for replica in ${STACK_REPLICAS:-}; do
  [ -n "${BASE_PORT[$replica]:-}" ] || { echo "STACK_REPLICAS: unknown service $replica" >&2; exit 2; }
  BASE_PORT[$replica-2]=$(( ${BASE_PORT[$replica]} + 100 ))
  SERVICES=("${SERVICES[@]:0:${#SERVICES[@]}-1}" "$replica-2" gateway)
done
port_of() { echo $(( ${BASE_PORT[$1]} + offset )); }
app_of() { echo "${1%-2}"; }
KAFKA_PORT=$(( 9092 + offset )); KAFKA_CONTROLLER_PORT=$(( 9093 + offset ))

log() { printf '[stack:%s] %s\n' "$profile" "$*" >&2; }

# Secrets of this local stack: generated once per clone for dev, fixed for tests (the test
# stack listens on 127.0.0.1 only; libs/testing/src/test-stack.ts holds the same values).
# Services refuse secrets shorter than 32 bytes or that look like placeholders.
load_secrets() {
  if [ "$profile" = test ]; then
    INTERNAL_TOKEN=test-internal-9cc829265f5932b824b474e520474df7e797b810
    GATEWAY_TOKEN=test-gateway-5f0d7c1e93a24b6f8e2d41c07a9b3e6d52f18c4a
    ADMIN_API_KEY=test-admin-cb7cb2927d9956d904a0e8bb0adfc0134bb9a2de
    ENCRYPTION_KEY=IINRiKQzNmjYoV9TNGz8ZiiOybwrG4aeir1QFP5Xi08=
    return
  fi
  local f="$ROOT/.local/dev.env"
  if [ ! -f "$f" ]; then
    umask 077
    {
      echo "INTERNAL_TOKEN=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')"
      echo "GATEWAY_TOKEN=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')"
      echo "ADMIN_API_KEY=isk_admin_$(node -e 'process.stdout.write(require("crypto").randomBytes(18).toString("hex"))')"
      echo "ENCRYPTION_KEY=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("base64"))')"
    } > "$f"
  fi
  # dev.env files written before GATEWAY_TOKEN existed lack it: add one, keeping the others.
  if ! grep -q '^GATEWAY_TOKEN=' "$f"; then
    echo "GATEWAY_TOKEN=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')" >> "$f"
  fi
  # shellcheck disable=SC1090
  . "$f"
}

service_env() {
  local svc="$1"
  local -a e=(
    "HOST=127.0.0.1" "PORT=$(port_of "$svc")" "LOG_LEVEL=${LOG_LEVEL:-log}" "LOG_FORMAT=$log_format"
    "INTERNAL_TOKEN=$INTERNAL_TOKEN" "GATEWAY_TOKEN=$GATEWAY_TOKEN" "DATABASE_URL=$DATABASE_URL" "KAFKA_BROKERS=127.0.0.1:$KAFKA_PORT"
    "INTEGRATION_CONFIG_URL=http://127.0.0.1:$(port_of integration-config)"
    "INCIDENTS_URL=http://127.0.0.1:$(port_of incidents)"
    "WEBHOOK_INGRESS_URL=http://127.0.0.1:$(port_of webhook-ingress)"
    "SYNC_ENGINE_URL=http://127.0.0.1:$(port_of sync-engine)"
    "OUTBOUND_DISPATCHER_URL=http://127.0.0.1:$(port_of outbound-dispatcher)"
    "DLQ_MANAGER_URL=http://127.0.0.1:$(port_of dlq-manager)"
    "KAFKAJS_NO_PARTITIONER_WARNING=1"
  )
  case "$(app_of "$svc")" in
    integration-config)
      e+=("ENCRYPTION_KEY=$ENCRYPTION_KEY" "ADMIN_API_KEY=$ADMIN_API_KEY" "ALLOW_LOCAL_BASE_URLS=${ALLOW_LOCAL_BASE_URLS:-true}"
          "PUBLIC_BASE_URL=${PUBLIC_BASE_URL:-http://127.0.0.1:$(port_of gateway)}") ;;
  esac
  if [ "$profile" = test ]; then
    case "$svc" in
      # The security tier revokes a key and waits for the gateway to stop trusting it.
      gateway) e+=("AUTH_CACHE_TTL_MS=${AUTH_CACHE_TTL_MS:-2000}") ;;
      # The security tier's canary token (canary-tok-<random>, made up per run) must work against the simulator.
      pagerduty-sim) e+=("SIM_ALLOW_TOKENS=${SIM_ALLOW_TOKENS:-canary-tok-*}") ;;
    esac
  fi
  printf '%s\n' "${e[@]}"
}

pid_alive() {
  local pid="$1"
  [ -n "$pid" ] && [ -r "/proc/$pid/stat" ] && ! awk '{exit ($3=="Z") ? 0 : 1}' "/proc/$pid/stat"
}

start_service() {
  local svc="$1" main="$ROOT/dist/apps/$(app_of "$1")/src/main.js" pidf="$RUN_DIR/$1.pid"
  if [ ! -f "$main" ]; then log "skip $svc: $main not built"; return 0; fi
  if [ -f "$pidf" ] && pid_alive "$(cat "$pidf")"; then log "$svc already running (pid $(cat "$pidf"))"; return 0; fi
  local -a envs; mapfile -t envs < <(service_env "$svc")
  # setsid: the service survives the calling shell; its own process group for clean stops.
  env "${envs[@]}" setsid node --enable-source-maps -r "$ROOT/tools/register-paths.js" "$main" >"$LOG_DIR/$svc.log" 2>&1 < /dev/null &
  echo $! > "$pidf"
  log "started $svc on :$(port_of "$svc") (pid $!, log ${LOG_DIR#$ROOT/}/$svc.log)"
}

stop_service() {
  local svc="$1" pidf="$RUN_DIR/$1.pid" pid
  [ -f "$pidf" ] || return 0
  pid="$(cat "$pidf")"
  if pid_alive "$pid"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do pid_alive "$pid" || break; sleep 0.1; done
    if pid_alive "$pid"; then log "$svc did not stop in 10 s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$pidf"
}

wait_ready() {
  local svc="$1" url deadline
  url="http://127.0.0.1:$(port_of "$svc")/health/ready"
  deadline=$(( $(date +%s) + ${READY_TIMEOUT:-120} ))
  until curl -fsS -o /dev/null --max-time 2 "$url" 2>/dev/null; do
    if ! pid_alive "$(cat "$RUN_DIR/$svc.pid" 2>/dev/null || echo)"; then
      log "$svc exited during start; last log lines:"; tail -n 30 "$LOG_DIR/$svc.log" >&2; return 1
    fi
    if [ "$(date +%s)" -gt "$deadline" ]; then
      log "$svc not ready after ${READY_TIMEOUT:-120} s; last log lines:"; tail -n 30 "$LOG_DIR/$svc.log" >&2; return 1
    fi
    sleep 0.3
  done
}

infra_up() {
  KAFKA_PORT=$KAFKA_PORT KAFKA_CONTROLLER_PORT=$KAFKA_CONTROLLER_PORT "$ROOT/deploy/local/kafka.sh" start >&2
  DATABASE_URL="$(PGDATABASE_NAME=$db_name "$ROOT/deploy/local/postgres.sh" ensure | tail -1)"
  export DATABASE_URL
}

selected_services() {
  local svc
  for svc in "${SERVICES[@]}"; do
    if [ "$svc" = pagerduty-sim ] && [ "${PAGERDUTY_SIMULATOR:-on}" = off ]; then continue; fi
    echo "$svc"
  done
}

case "$cmd" in
  up)
    load_secrets
    if [ "$build" = 1 ]; then log "building"; npx tsc -p tsconfig.build.json; fi
    infra_up
    started=$(date +%s%N)
    mapfile -t svcs < <(selected_services)
    for svc in "${svcs[@]}"; do start_service "$svc"; done
    for svc in "${svcs[@]}"; do [ -f "$RUN_DIR/$svc.pid" ] && wait_ready "$svc"; done
    log "all services ready in $(( ($(date +%s%N) - started) / 1000000 )) ms"
    ;;
  down)
    # SIGTERM to every service at once (each drains in-flight work, commits offsets, closes
    # its pool), then wait for all of them together; SIGKILL whatever is left after 15 s.
    declare -a pids=()
    for svc in "${SERVICES[@]}"; do
      pidf="$RUN_DIR/$svc.pid"
      [ -f "$pidf" ] || continue
      pid="$(cat "$pidf")"; rm -f "$pidf"
      if pid_alive "$pid"; then kill -TERM "$pid" 2>/dev/null || true; pids+=("$pid"); fi
    done
    for _ in $(seq 1 150); do
      alive=0; for pid in "${pids[@]}"; do pid_alive "$pid" && alive=1; done
      [ "$alive" = 0 ] && break; sleep 0.1
    done
    for pid in "${pids[@]}"; do
      if pid_alive "$pid"; then log "pid $pid did not stop in 15 s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    done
    log "services stopped"
    ;;
  restart)
    [ -n "$target" ] || { echo "usage: stack.sh restart <service> [--profile p]" >&2; exit 2; }
    load_secrets
    DATABASE_URL="$(PGDATABASE_NAME=$db_name "$ROOT/deploy/local/postgres.sh" ensure | tail -1)"; export DATABASE_URL
    stop_service "$target"; start_service "$target"; wait_ready "$target"
    ;;
  crash)
    # SIGKILL (no shutdown hooks, no offset commit, no pool close), then start it again: the
    # fault tier's "a crash at any point loses nothing".
    [ -n "$target" ] || { echo "usage: stack.sh crash <service> [--profile p]" >&2; exit 2; }
    load_secrets
    DATABASE_URL="$(PGDATABASE_NAME=$db_name "$ROOT/deploy/local/postgres.sh" ensure | tail -1)"; export DATABASE_URL
    pidf="$RUN_DIR/$target.pid"
    if [ -f "$pidf" ] && pid_alive "$(cat "$pidf")"; then kill -KILL "$(cat "$pidf")" 2>/dev/null || true; fi
    for _ in $(seq 1 50); do pid_alive "$(cat "$pidf" 2>/dev/null || echo)" || break; sleep 0.1; done
    rm -f "$pidf"
    start_service "$target"; wait_ready "$target"
    ;;
  status)
    for svc in "${SERVICES[@]}"; do
      pidf="$RUN_DIR/$svc.pid"
      if [ -f "$pidf" ] && pid_alive "$(cat "$pidf")"; then
        state=$(curl -s --max-time 2 "http://127.0.0.1:$(port_of "$svc")/health/ready" | head -c 200 || true)
        printf '%-20s pid %-7s :%-6s %s\n' "$svc" "$(cat "$pidf")" "$(port_of "$svc")" "${state:-no answer}"
      else
        printf '%-20s stopped\n' "$svc"
      fi
    done
    ;;
  *) sed -n '2,16p' "$0" >&2; exit 2 ;;
esac
