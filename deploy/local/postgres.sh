#!/usr/bin/env bash
# Local PostgreSQL for development and CI, no Docker.
#
# Usage: deploy/local/postgres.sh ensure|stop
#   ensure  Make sure a server answers and the database exists; print DATABASE_URL as the LAST line
#           of stdout (everything else goes to stderr):
#             export DATABASE_URL="$(deploy/local/postgres.sh ensure | tail -1)"
#           With DATABASE_URL set: use that server (never started here) and create its database.
#           Otherwise: postgres://$PGUSER@127.0.0.1:$PGPORT_LOCAL/$PGDATABASE_NAME; when nothing
#           answers on that port, init (once) and start a cluster of our own in $PGDATA_LOCAL
#           (trust auth, 127.0.0.1 only), installing the Debian package postgresql if we are root
#           and no initdb/pg_ctl exist.
#   stop    Stop the cluster in $PGDATA_LOCAL, and only if this script created it.
# Environment (defaults):
#   DATABASE_URL (unset)  PGDATABASE_NAME=incident_sync  PGPORT_LOCAL=5432  PGUSER=postgres
#   PGPASSWORD (read by psql/libpq and node-postgres; not written into the URL)
#   PGDATA_LOCAL=.local/postgres/data (relative paths are relative to the repo root)
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

PGDATABASE_NAME="${PGDATABASE_NAME:-incident_sync}"
PGPORT_LOCAL="${PGPORT_LOCAL:-5432}"
PGDATA_LOCAL="${PGDATA_LOCAL:-.local/postgres/data}"
PG_SUPERUSER="${PGUSER:-postgres}"
case "$PGDATA_LOCAL" in
  /*) DATA_DIR="${PGDATA_LOCAL%/}" ;;
  *) DATA_DIR="$REPO_ROOT/${PGDATA_LOCAL%/}" ;;
esac
# Written by this script next to postgresql.conf: marks a cluster as ours (stop only stops those).
OWN_CONF="incident-sync.conf"
SERVER_LOG="$DATA_DIR/postgres.log"
READY_TIMEOUT=60

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() {
  say "error: $*"
  exit 1
}

# ---------------------------------------------------------------- URLs

urlencode() {
  local LC_ALL=C s="$1" out="" c i
  for ((i = 0; i < ${#s}; i++)); do
    c="${s:i:1}"
    case "$c" in
      [A-Za-z0-9._~-]) out+="$c" ;;
      *) out+="$(printf '%%%02X' "'$c")" ;;
    esac
  done
  printf '%s' "$out"
}

urldecode() {
  local s="$1"
  printf '%b' "${s//%/\\x}"
}

# Sets TARGET_URL, MAINT_URL (same server, maintenance db "postgres"), DB_NAME, EXPLICIT_URL.
resolve_target() {
  if [[ -n ${DATABASE_URL:-} ]]; then
    EXPLICIT_URL=1
    TARGET_URL="$DATABASE_URL"
  else
    EXPLICIT_URL=0
    [[ $PGPORT_LOCAL =~ ^[0-9]+$ ]] || die "invalid PGPORT_LOCAL '$PGPORT_LOCAL'"
    TARGET_URL="postgres://$(urlencode "$PG_SUPERUSER")@127.0.0.1:$PGPORT_LOCAL/$(urlencode "$PGDATABASE_NAME")"
  fi
  local re='^(postgres(ql)?://[^/?#]*)(/([^?#]*))?([?#].*)?$'
  [[ $TARGET_URL =~ $re ]] || die "DATABASE_URL is not a postgres:// or postgresql:// URL"
  DB_NAME="$(urldecode "${BASH_REMATCH[4]}")"
  [[ -n $DB_NAME ]] || die "DATABASE_URL names no database"
  MAINT_URL="${BASH_REMATCH[1]}/postgres${BASH_REMATCH[5]}"
}

redacted() { # the URL without its password, for messages
  local re='^([a-z]+://[^:/@]*):[^@/]*@(.*)$'
  if [[ $1 =~ $re ]]; then
    printf '%s' "${BASH_REMATCH[1]}:***@${BASH_REMATCH[2]}"
  else
    printf '%s' "$1"
  fi
}

# ---------------------------------------------------------------- binaries

# find_pg_bin <name> [<major>]: the cluster's own major version first (when given), then PATH,
# then the newest /usr/lib/postgresql/*/bin.
find_pg_bin() {
  local name="$1" major="${2:-}" p dir
  if [[ -n $major && -x /usr/lib/postgresql/$major/bin/$name ]]; then
    printf '%s' "/usr/lib/postgresql/$major/bin/$name"
    return 0
  fi
  if p="$(command -v "$name" 2>/dev/null)"; then
    printf '%s' "$p"
    return 0
  fi
  while IFS= read -r dir; do
    if [[ -x $dir/$name ]]; then
      printf '%s' "$dir/$name"
      return 0
    fi
  done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r)
  return 1
}

is_root() { [[ $EUID -eq 0 ]]; }

install_postgres() {
  is_root || return 1
  command -v apt-get >/dev/null 2>&1 || return 1
  say "no PostgreSQL binaries found; installing the Debian package postgresql (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql
}

# Sets PSQL and PG_ISREADY, installing the package if they are missing (root only).
find_client_tools() {
  if ! PSQL="$(find_pg_bin psql)" || ! PG_ISREADY="$(find_pg_bin pg_isready)"; then
    install_postgres || die "psql/pg_isready not found (install the PostgreSQL client)"
    PSQL="$(find_pg_bin psql)" || die "psql still not found after installing postgresql"
    PG_ISREADY="$(find_pg_bin pg_isready)" || die "pg_isready still not found after installing postgresql"
  fi
}

# Sets INITDB and PG_CTL (same directory, so the same version), installing if needed (root only).
find_server_tools() {
  local major="${1:-}" initdb
  if ! initdb="$(find_pg_bin initdb "$major")"; then
    install_postgres || die "initdb/pg_ctl not found and not root: install PostgreSQL (e.g. apt-get install postgresql)"
    initdb="$(find_pg_bin initdb "$major")" || die "initdb still not found after installing postgresql"
  fi
  initdb="$(readlink -f -- "$initdb")"
  INITDB="$initdb"
  if [[ -x ${initdb%/*}/pg_ctl ]]; then
    PG_CTL="${initdb%/*}/pg_ctl"
  else
    PG_CTL="$(find_pg_bin pg_ctl "$major")" || die "pg_ctl not found"
  fi
}

# Closes this (sub)shell's descriptors above 2, inherited from whoever started us.
close_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [[ $fd =~ ^[0-9]+$ ]] && (( fd > 2 )) && eval "exec $fd>&-" 2>/dev/null
  done
  return 0
}

# Runs a command as the postgres OS user when we are root (initdb and pg_ctl refuse root).
as_pg() {
  if is_root; then
    if command -v runuser >/dev/null 2>&1; then
      (cd / && runuser -u postgres -- "$@")
    else
      (cd / && su -s /bin/bash postgres -c "$(printf '%q ' "$@")")
    fi
  else
    "$@"
  fi
}

# ---------------------------------------------------------------- server

# 0 accepting, 1 rejecting (e.g. starting up), 2 no response, 3 bad parameters (pg_isready codes)
server_state() {
  local rc=0
  "$PG_ISREADY" -q -t 3 -d "$TARGET_URL" >/dev/null 2>&1 || rc=$?
  printf '%s' "$rc"
}

wait_accepting() {
  local deadline=$((SECONDS + $1))
  while [[ "$(server_state)" != 0 ]]; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

start_own_cluster() {
  local major=""
  if [[ -f $DATA_DIR/PG_VERSION ]]; then
    major="$(<"$DATA_DIR/PG_VERSION")"
  fi
  find_server_tools "$major"
  if is_root; then
    id -u postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user to run the server"
  fi

  if [[ ! -f $DATA_DIR/PG_VERSION ]]; then
    if [[ -d $DATA_DIR && -n "$(ls -A "$DATA_DIR")" ]]; then
      die "$DATA_DIR is not empty and holds no PostgreSQL cluster; refusing to init there"
    fi
    mkdir -p "$DATA_DIR"
    chmod 700 "$DATA_DIR"
    if is_root; then chown postgres:postgres "$DATA_DIR"; fi
    as_pg test -w "$DATA_DIR" || die "the postgres user cannot write $DATA_DIR (check the permissions of its parents)"
    say "initialising a cluster in $DATA_DIR ($("$INITDB" --version))"
    as_pg "$INITDB" -D "$DATA_DIR" -U "$PG_SUPERUSER" --auth=trust -E UTF8 --locale=C >&2
    as_pg tee "$DATA_DIR/$OWN_CONF" >/dev/null <<EOF
# Written by deploy/local/postgres.sh: a local development cluster (trust auth, loopback only).
listen_addresses = '127.0.0.1'
port = $PGPORT_LOCAL
unix_socket_directories = ''
EOF
    printf "\ninclude_if_exists = '%s'\n" "$OWN_CONF" | as_pg tee -a "$DATA_DIR/postgresql.conf" >/dev/null
  elif [[ ! -f $DATA_DIR/$OWN_CONF ]]; then
    die "$DATA_DIR holds a cluster that this script did not create; refusing to start it"
  fi

  if as_pg "$PG_CTL" status -D "$DATA_DIR" >/dev/null 2>&1; then
    local port
    port="$(sed -n 4p "$DATA_DIR/postmaster.pid" 2>/dev/null || true)"
    die "the cluster in $DATA_DIR is already running on port ${port:-?}, not $PGPORT_LOCAL (stop it: $0 stop)"
  fi
  say "starting the cluster in $DATA_DIR on 127.0.0.1:$PGPORT_LOCAL (log: $SERVER_LOG)"
  # The server must not inherit our descriptors beyond 0-2 (pg_ctl sends those to the log): a
  # caller reading our output through a pipe (the fault tier's execFile) would otherwise wait
  # for the server to exit before it saw us finish.
  (close_inherited_fds; as_pg "$PG_CTL" start -D "$DATA_DIR" -l "$SERVER_LOG" -o "-p $PGPORT_LOCAL" -w -t "$READY_TIMEOUT" >&2) || {
    tail -n 30 "$SERVER_LOG" >&2 || true
    die "pg_ctl start failed"
  }
}

db_exists() {
  local out
  out="$("$PSQL" "$MAINT_URL" -X -q -t -A -v ON_ERROR_STOP=1 -v db="$DB_NAME" <<'SQL'
SELECT 1 FROM pg_database WHERE datname = :'db';
SQL
  )" || die "cannot query $(redacted "$MAINT_URL")"
  [[ $out == 1 ]]
}

create_database() {
  if db_exists; then
    say "database \"$DB_NAME\" exists; nothing to do"
    return 0
  fi
  if "$PSQL" "$MAINT_URL" -X -q -v ON_ERROR_STOP=1 -v db="$DB_NAME" >/dev/null <<'SQL'
SELECT format('CREATE DATABASE %I', :'db') \gexec
SQL
  then
    say "created database \"$DB_NAME\""
  elif db_exists; then # created concurrently by someone else
    say "database \"$DB_NAME\" exists"
  else
    die "could not create database \"$DB_NAME\""
  fi
}

# ---------------------------------------------------------------- subcommands

cmd_ensure() {
  # Only the final URL goes to stdout.
  exec 3>&1 1>&2
  resolve_target
  find_client_tools
  local state
  state="$(server_state)"
  if [[ $state == 1 ]]; then
    say "server at $(redacted "$TARGET_URL") is starting; waiting"
    wait_accepting "$READY_TIMEOUT" || die "server did not accept connections within $READY_TIMEOUT s"
  elif [[ $state != 0 ]]; then
    if ((EXPLICIT_URL)); then
      die "no server answers at $(redacted "$TARGET_URL") (DATABASE_URL is set, so nothing is started here)"
    fi
    say "no server answers on 127.0.0.1:$PGPORT_LOCAL"
    start_own_cluster
    # An apt-get install above may itself have started a Debian cluster on this port: fine too.
    wait_accepting "$READY_TIMEOUT" || {
      tail -n 30 "$SERVER_LOG" >&2 || true
      die "no server accepts connections on 127.0.0.1:$PGPORT_LOCAL after $READY_TIMEOUT s"
    }
  else
    say "server answers at $(redacted "$TARGET_URL")"
  fi
  create_database
  printf '%s\n' "$TARGET_URL" >&3
}

cmd_stop() {
  if [[ ! -f $DATA_DIR/PG_VERSION ]]; then
    say "no cluster in $DATA_DIR; nothing to stop"
    return 0
  fi
  [[ -f $DATA_DIR/$OWN_CONF ]] || die "the cluster in $DATA_DIR was not created by this script; not stopping it"
  find_server_tools "$(<"$DATA_DIR/PG_VERSION")"
  if ! as_pg "$PG_CTL" status -D "$DATA_DIR" >/dev/null 2>&1; then
    say "the cluster in $DATA_DIR is not running; nothing to stop"
    return 0
  fi
  as_pg "$PG_CTL" stop -D "$DATA_DIR" -m fast -w -t "$READY_TIMEOUT" >&2
  say "stopped the cluster in $DATA_DIR"
}

usage() {
  sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

case "${1:-}" in
  ensure) cmd_ensure ;;
  stop) cmd_stop ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    exit 64
    ;;
esac
