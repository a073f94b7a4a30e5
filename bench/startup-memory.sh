#!/usr/bin/env bash
# Issue #3 figures: time from `scripts/stack.sh up` (Kafka + PostgreSQL + every service) to all
# services ready, and the resident memory of each service process after it has been idle.
#   bench/startup-memory.sh [profile=dev] [idle_seconds=20]
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
profile="${1:-dev}"; idle="${2:-20}"
"$ROOT/scripts/stack.sh" down --profile "$profile" >/dev/null 2>&1 || true
t0=$(date +%s%N)
"$ROOT/scripts/stack.sh" up --profile "$profile" --no-build 2>&1 | grep -E "ready in|not ready|exited" || true
echo "stack up (Kafka start or reuse, database, all services ready): $(( ($(date +%s%N) - t0) / 1000000 )) ms"
sleep "$idle"
printf '%-20s %8s\n' service "RSS (MB)"
for pidf in "$ROOT/.local/run/$profile"/*.pid; do
  pid=$(cat "$pidf"); rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
  printf '%-20s %8.1f\n' "$(basename "$pidf" .pid)" "$(echo "$rss_kb / 1024" | bc -l)"
done
