#!/usr/bin/env bash
# `npm start`: the whole product on this machine — installs what is missing, starts Kafka
# and PostgreSQL, runs migrations (each service migrates its schema at boot), starts every
# service and the PagerDuty simulator, prints the URLs. Ctrl-C stops everything.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
"$ROOT/scripts/ensure-install.sh"

stopping=0
stop_all() {
  [ "$stopping" = 1 ] && return; stopping=1
  echo; echo "[start] stopping services and Kafka…" >&2
  "$ROOT/scripts/stack.sh" down --profile dev || true
  "$ROOT/deploy/local/kafka.sh" stop >&2 || true
  exit 0
}
trap stop_all INT TERM

t0=$(date +%s%N)
"$ROOT/scripts/stack.sh" up --profile dev
elapsed=$(( ($(date +%s%N) - t0) / 1000000 ))
# shellcheck disable=SC1091
. "$ROOT/.local/dev.env"

cat <<MSG

incident-sync is running (ready in ${elapsed} ms).
  API (one base URL)   http://127.0.0.1:8080/api/v1      health: http://127.0.0.1:8080/health/ready
  PagerDuty simulator  http://127.0.0.1:8090             (token: sim-account-token; see apps/pagerduty-sim/README.md)
  Kafka                127.0.0.1:9092                     logs: .local/run/dev/logs/

Admin API key (creates organization keys): ${ADMIN_API_KEY}
Try:
  export IM_API_URL=http://127.0.0.1:8080 IM_API_KEY=${ADMIN_API_KEY}
  ./bin/im integration configure --name "Simulated PagerDuty" --slug sim-pd --type pagerduty --org acme-corp \\
      --base-url http://127.0.0.1:8090 --direction bidirectional --token sim-account-token --from-email incident-sync-bot@example.com
  ./bin/im integration test sim-pd --org acme-corp

Press Ctrl-C to stop everything.
MSG

# Stay in the foreground while the services run; report one that dies.
while true; do
  sleep 5 &
  wait $! || true
  for pidf in "$ROOT"/.local/run/dev/*.pid; do
    [ -f "$pidf" ] || continue
    if ! kill -0 "$(cat "$pidf")" 2>/dev/null; then
      echo "[start] $(basename "$pidf" .pid) exited; see .local/run/dev/logs/$(basename "$pidf" .pid).log" >&2
      rm -f "$pidf"
    fi
  done
done
