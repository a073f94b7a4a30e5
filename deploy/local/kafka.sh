#!/usr/bin/env bash
# Local single-node Apache Kafka (KRaft: broker and sole controller in one JVM), no Docker.
# Jars come from Maven Central through deploy/local/kafka/pom.xml and are cached per version in
# .local/kafka/libs-<version>; every instance keeps its config, pid file, log and data in its own
# data dir, so several instances (different ports, different data dirs) can run side by side.
#
# Usage: deploy/local/kafka.sh fetch|start|stop|status|wait|reset
# Environment (defaults):
#   KAFKA_PORT=9092  KAFKA_CONTROLLER_PORT=9093  KAFKA_VERSION=4.1.2
#   KAFKA_DATA_DIR=.local/kafka/data-$KAFKA_PORT (relative paths are relative to the repo root)
#   KAFKA_HEAP="-Xms256m -Xmx512m"  KAFKA_START_TIMEOUT=90 (seconds)
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/../.." && pwd -P)"

KAFKA_VERSION="${KAFKA_VERSION:-4.1.2}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-.local/kafka/data-$KAFKA_PORT}"
KAFKA_HEAP="${KAFKA_HEAP:--Xms256m -Xmx512m}"
KAFKA_START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
STOP_TIMEOUT=30

POM="$SCRIPT_DIR/kafka/pom.xml"
CACHE_DIR="$REPO_ROOT/.local/kafka"
LIBS_DIR="$CACHE_DIR/libs-$KAFKA_VERSION"
LIBS_MARKER="$LIBS_DIR/.fetch-complete"

case "$KAFKA_DATA_DIR" in
  /*) DATA_DIR="${KAFKA_DATA_DIR%/}" ;;
  *) DATA_DIR="$REPO_ROOT/${KAFKA_DATA_DIR%/}" ;;
esac
SERVER_PROPS="$DATA_DIR/server.properties"
LOG4J_PROPS="$DATA_DIR/log4j2.properties"
CLUSTER_ID_FILE="$DATA_DIR/cluster.id"
PID_FILE="$DATA_DIR/kafka.pid"
LOG_FILE="$DATA_DIR/kafka.log"
KRAFT_DIR="$DATA_DIR/kraft-combined-logs"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

say() { printf 'kafka.sh [%s]: %s\n' "$KAFKA_PORT" "$*"; }
err() { printf 'kafka.sh [%s]: %s\n' "$KAFKA_PORT" "$*" >&2; }
die() {
  err "error: $*"
  exit 1
}

now_ms() {
  local t="${EPOCHREALTIME:-}"
  if [[ -n $t ]]; then
    t="${t/,/.}"
    printf '%s' "$(( ${t%.*} * 1000 + 10#${t#*.} / 1000 ))"
  else
    printf '%s' "$(( $(date +%s) * 1000 ))"
  fi
}
elapsed() { # elapsed <start_ms> -> "1.234 s"
  local ms=$(( $(now_ms) - $1 ))
  printf '%d.%03d s' "$(( ms / 1000 ))" "$(( ms % 1000 ))"
}

validate() {
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if ! [[ $p =~ ^[0-9]+$ ]] || ((p < 1 || p > 65535)); then
      die "invalid port '$p'"
    fi
  done
  [[ $KAFKA_PORT != "$KAFKA_CONTROLLER_PORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT must differ"
  [[ $KAFKA_START_TIMEOUT =~ ^[0-9]+$ ]] || die "invalid KAFKA_START_TIMEOUT '$KAFKA_START_TIMEOUT'"
  [[ $KAFKA_VERSION =~ ^[0-9A-Za-z.-]+$ ]] || die "invalid KAFKA_VERSION '$KAFKA_VERSION'"
}

# ---------------------------------------------------------------- processes and ports

# State letter of a process from /proc/<pid>/stat (R, S, D, Z, ...); fails if there is none.
proc_state() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
  stat="${stat##*) }"
  printf '%s' "${stat%% *}"
}

# Alive and not a zombie (a killed broker whose parent does not reap it still passes kill -0).
is_live() {
  local state
  state="$(proc_state "$1")" || return 1
  [[ -n $state && $state != Z && $state != X ]]
}

# A live kafka.Kafka JVM started with THIS instance's server.properties.
is_our_broker() {
  local cmdline
  is_live "$1" || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null)" || return 1
  [[ $cmdline == *" kafka.Kafka $SERVER_PROPS"* ]]
}

# Prints the pid of this instance's broker: from the pid file, else by scanning /proc (pid file lost).
broker_pid() {
  local pid dir
  if [[ -f $PID_FILE ]]; then
    pid="$(<"$PID_FILE")"
    if [[ $pid =~ ^[0-9]+$ ]] && is_our_broker "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  fi
  for dir in /proc/[0-9]*; do
    pid="${dir#/proc/}"
    if is_our_broker "$pid"; then
      printf '%s' "$pid"
      return 0
    fi
  done
  return 1
}

port_open() {
  # shellcheck disable=SC2016 # $1 belongs to the inner bash
  timeout 2 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" 2>/dev/null
}

log_says_started() {
  [[ -f $LOG_FILE ]] && grep -q 'Kafka Server started' "$LOG_FILE"
}

print_log_tail() {
  if [[ -f $LOG_FILE ]]; then
    err "last lines of $LOG_FILE:"
    tail -n 40 "$LOG_FILE" >&2 || true
  fi
}

# wait_ready <pid> <timeout_s>: port accepts a connection AND the log says the server started.
wait_ready() {
  local pid="$1" deadline=$((SECONDS + $2))
  while :; do
    if ! is_live "$pid"; then
      err "broker (pid $pid) exited before it was ready"
      print_log_tail
      rm -f "$PID_FILE"
      return 1
    fi
    if port_open "$KAFKA_PORT" && log_says_started; then
      return 0
    fi
    if (( SECONDS >= deadline )); then
      err "broker (pid $pid) not ready after $2 s; it is still running (stop it with: $0 stop)"
      print_log_tail
      return 1
    fi
    sleep 0.25
  done
}

# Serialises start/stop/reset of one instance (the broker itself must not inherit fd 9).
lock_instance() {
  mkdir -p "$(dirname -- "$DATA_DIR")"
  exec 9>"$DATA_DIR.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 150 9 || die "another kafka.sh holds $DATA_DIR.lock"
  fi
}

# ---------------------------------------------------------------- fetch

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (install a JDK >= 17 or set JAVA_HOME)"
  local out major
  out="$("$JAVA" -version 2>&1)" || die "'$JAVA -version' failed: $out"
  if [[ $out =~ version\ \"([0-9]+)(\.([0-9]+))? ]]; then
    major="${BASH_REMATCH[1]}"
    [[ $major == 1 ]] && major="${BASH_REMATCH[3]}"
    (( major >= 17 )) || die "Kafka $KAFKA_VERSION needs Java >= 17, found: ${out%%$'\n'*}"
  fi
}

cmd_fetch() {
  if [[ -f $LIBS_MARKER ]]; then
    say "Kafka $KAFKA_VERSION jars already cached in ${LIBS_DIR#"$REPO_ROOT/"}"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found (install Maven 3.8+)"
  mkdir -p "$CACHE_DIR"
  (
    # One fetch at a time per cache (fd 8 is closed again when this subshell ends).
    exec 8>"$CACHE_DIR/.fetch.lock"
    if command -v flock >/dev/null 2>&1; then flock -w 600 8; fi
    if [[ -f $LIBS_MARKER ]]; then exit 0; fi
    start="$(now_ms)"
    say "fetching Kafka $KAFKA_VERSION jars from Maven Central into ${LIBS_DIR#"$REPO_ROOT/"}"
    tmp="$(mktemp -d "$CACHE_DIR/.libs-$KAFKA_VERSION.XXXXXX")"
    # Debian's Maven 3.8 prints bare ESC[0m resets even with -B -q: strip them (pipefail keeps
    # mvn's exit status).
    if ! mvn -B -ntp -q -f "$POM" dependency:copy-dependencies -DincludeScope=runtime \
      -Dkafka.version="$KAFKA_VERSION" -DoutputDirectory="$tmp" 2>&1 | sed 's/\x1b\[0m//g' >&2; then
      rm -rf "$tmp"
      die "mvn dependency:copy-dependencies failed for Kafka $KAFKA_VERSION"
    fi
    if [[ ! -f $tmp/kafka_2.13-$KAFKA_VERSION.jar ]]; then
      rm -rf "$tmp"
      die "kafka_2.13-$KAFKA_VERSION.jar missing after the fetch"
    fi
    count="$(find "$tmp" -maxdepth 1 -name '*.jar' | wc -l)"
    printf 'kafka %s\njars %s\n' "$KAFKA_VERSION" "$count" >"$tmp/.fetch-complete"
    chmod 755 "$tmp" # mktemp -d made it 0700
    rm -rf "$LIBS_DIR" # an incomplete earlier attempt (no marker)
    mv "$tmp" "$LIBS_DIR"
    say "fetched $count jars ($(du -sh "$LIBS_DIR" | cut -f1)) in $(elapsed "$start")"
  )
}

# ---------------------------------------------------------------- configuration

write_configs() {
  cat >"$SERVER_PROPS" <<EOF
# Generated by deploy/local/kafka.sh on every start; edit the script, not this file.
# Single node in KRaft combined mode: broker and the only controller in one JVM.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KRAFT_DIR

# One broker: every internal topic at replication factor 1 / min ISR 1, or consumer groups and
# transactions never become available ("The group coordinator is not available" forever).
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Our code creates every topic explicitly (partitions, replication, configs).
auto.create.topics.enable=false
log.retention.hours=168

# Fast tests.
offsets.topic.num.partitions=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0

# Small machine.
num.network.threads=2
num.io.threads=4
background.threads=4
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=33554432
EOF

  cat >"$LOG4J_PROPS" <<'EOF'
# Generated by deploy/local/kafka.sh: everything at INFO to stdout (kafka.log in the data dir).
# kafka.sh waits for the INFO line "Kafka Server started" from kafka.server.KafkaRaftServer.
name=incident-sync-local-kafka
status=warn
# Keep logging until the JVM exits, so the end of a controlled shutdown is in kafka.log too.
shutdownHook=disable
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.stdout.ref=STDOUT
logger.request.name=kafka.request.logger
logger.request.level=WARN
logger.requestchannel.name=kafka.network.RequestChannel$
logger.requestchannel.level=WARN
EOF
}

gen_cluster_id() { # base64url of 16 random bytes, 22 chars, not starting with '-'
  local id
  while :; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
    if [[ ${#id} -eq 22 && $id != -* ]]; then
      printf '%s' "$id"
      return 0
    fi
  done
}

jvm_opts() {
  local -a heap
  read -r -a heap <<<"$KAFKA_HEAP"
  JVM_OPTS=("${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent
    -Djava.awt.headless=true "-Dlog4j2.configurationFile=$LOG4J_PROPS"
    "-Dkafka.logs.dir=$DATA_DIR" -cp "$LIBS_DIR/*")
}

format_storage() {
  local cluster_id
  if [[ ! -s $CLUSTER_ID_FILE ]]; then
    gen_cluster_id >"$CLUSTER_ID_FILE"
  fi
  cluster_id="$(<"$CLUSTER_ID_FILE")"
  if [[ -f $KRAFT_DIR/meta.properties ]]; then
    return 0
  fi
  local start
  start="$(now_ms)"
  if ! "$JAVA" "${JVM_OPTS[@]}" kafka.tools.StorageTool format -t "$cluster_id" \
    -c "$SERVER_PROPS" --ignore-formatted >"$DATA_DIR/format.log" 2>&1 9>&-; then
    err "storage format failed:"
    tail -n 40 "$DATA_DIR/format.log" >&2 || true
    exit 1
  fi
  say "formatted storage (cluster id $cluster_id) in $(elapsed "$start")"
}

# ---------------------------------------------------------------- subcommands

cmd_start() {
  local pid start
  lock_instance
  if pid="$(broker_pid)"; then
    if port_open "$KAFKA_PORT" && log_says_started; then
      say "already running (pid $pid, 127.0.0.1:$KAFKA_PORT); nothing to do"
      printf '%s' "$pid" >"$PID_FILE"
      return 0
    fi
    say "broker pid $pid is starting; waiting for it"
    start="$(now_ms)"
    wait_ready "$pid" "$KAFKA_START_TIMEOUT" || exit 1
    say "ready on 127.0.0.1:$KAFKA_PORT (pid $pid) after $(elapsed "$start")"
    return 0
  fi
  if [[ -f $PID_FILE ]]; then
    say "removing stale pid file (pid $(<"$PID_FILE") is gone or a zombie)"
    rm -f "$PID_FILE"
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT"; do
    if port_open "$p"; then
      die "127.0.0.1:$p is already in use by another process (not the broker of $DATA_DIR); choose other KAFKA_PORT/KAFKA_CONTROLLER_PORT"
    fi
  done

  check_java
  cmd_fetch
  mkdir -p "$DATA_DIR" "$KRAFT_DIR"
  write_configs
  jvm_opts
  format_storage

  if [[ -f $LOG_FILE ]]; then
    mv -f "$LOG_FILE" "$LOG_FILE.1"
  fi
  start="$(now_ms)"
  # setsid + nohup: the broker leaves this shell's session and ignores SIGHUP, so it survives the
  # calling terminal / CI step. The launcher writes its own pid, then execs java (same pid).
  # shellcheck disable=SC2016 # $$/$1/$@ belong to the inner bash
  setsid nohup bash -c 'printf "%s" "$$" >"$1"; shift; exec "$@"' kafka-launch "$PID_FILE" \
    "$JAVA" "${JVM_OPTS[@]}" kafka.Kafka "$SERVER_PROPS" \
    </dev/null >>"$LOG_FILE" 2>&1 9>&- &
  local i
  for ((i = 0; i < 100; i++)); do
    [[ -s $PID_FILE ]] && break
    sleep 0.05
  done
  [[ -s $PID_FILE ]] || die "broker did not write $PID_FILE"
  pid="$(<"$PID_FILE")"
  say "started Kafka $KAFKA_VERSION (pid $pid), waiting up to ${KAFKA_START_TIMEOUT} s for 127.0.0.1:$KAFKA_PORT"
  wait_ready "$pid" "$KAFKA_START_TIMEOUT" || exit 1
  say "ready on 127.0.0.1:$KAFKA_PORT (controller 127.0.0.1:$KAFKA_CONTROLLER_PORT, pid $pid) after $(elapsed "$start"); log: $LOG_FILE"
}

cmd_stop() {
  local pid deadline start
  lock_instance
  if ! pid="$(broker_pid)"; then
    rm -f "$PID_FILE"
    say "not running; nothing to stop"
    return 0
  fi
  start="$(now_ms)"
  say "stopping broker pid $pid (SIGTERM, controlled shutdown)"
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + STOP_TIMEOUT))
  while is_live "$pid" && ((SECONDS < deadline)); do
    sleep 0.2
  done
  if is_live "$pid"; then
    err "still running after ${STOP_TIMEOUT} s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    deadline=$((SECONDS + 10))
    while is_live "$pid" && ((SECONDS < deadline)); do
      sleep 0.2
    done
    ! is_live "$pid" || die "pid $pid survived SIGKILL"
  fi
  rm -f "$PID_FILE"
  say "stopped in $(elapsed "$start")"
}

cmd_status() {
  local pid
  if ! pid="$(broker_pid)"; then
    say "stopped (data dir $DATA_DIR)"
    return 1
  fi
  if port_open "$KAFKA_PORT" && log_says_started; then
    say "running and ready: pid $pid, 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT), data dir $DATA_DIR"
    return 0
  fi
  say "running but not ready yet: pid $pid, data dir $DATA_DIR"
  return 2
}

cmd_wait() {
  local pid start
  pid="$(broker_pid)" || die "not running (start it with: $0 start)"
  start="$(now_ms)"
  wait_ready "$pid" "$KAFKA_START_TIMEOUT" || exit 1
  say "ready on 127.0.0.1:$KAFKA_PORT (pid $pid) after $(elapsed "$start")"
}

cmd_reset() {
  cmd_stop
  case "$DATA_DIR" in
    "" | / | "$REPO_ROOT" | "$HOME" | "$CACHE_DIR") die "refusing to delete '$DATA_DIR'" ;;
  esac
  if [[ -d $DATA_DIR ]]; then
    if [[ -n "$(ls -A "$DATA_DIR")" && ! -f $SERVER_PROPS && ! -f $CLUSTER_ID_FILE ]]; then
      die "refusing to delete $DATA_DIR: it does not look like a kafka.sh data dir"
    fi
    rm -rf "$DATA_DIR"
    say "deleted $DATA_DIR"
  else
    say "no data dir $DATA_DIR; nothing to delete"
  fi
}

usage() {
  sed -n '2,12s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

main() {
  validate
  case "${1:-}" in
    fetch) cmd_fetch ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    wait) cmd_wait ;;
    reset) cmd_reset ;;
    -h | --help | help) usage ;;
    *)
      usage >&2
      exit 64
      ;;
  esac
}

main "$@"
