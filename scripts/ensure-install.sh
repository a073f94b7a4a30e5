#!/usr/bin/env bash
# Installs dependencies exactly from the lock file when node_modules is missing or older
# than package-lock.json, so `npm start` / `npm test` work on a fresh clone.
set -euo pipefail
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$ROOT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "[install] npm ci (first run or lock file changed)" >&2
  npm ci --no-audit --no-fund >&2
fi
