#!/usr/bin/env bash
# A real Spark standalone cluster on this host, on loopback, from the project's own jars (no Spark
# distribution needed):
#
#   deploy/local-cluster.sh start [workers] [cores-per-worker] [memory-per-worker]   (default 2 1 2g)
#   deploy/local-cluster.sh status
#   deploy/local-cluster.sh stop
#
# Then: MASTER=spark://127.0.0.1:7077 deploy/spark-submit.sh conf/quick/rnn.reinforcement.conf
# Ports: ENGRAM_MASTER_PORT (7077), ENGRAM_MASTER_UI (8080); workers' UIs from ENGRAM_MASTER_UI+1.
# State, logs and worker folders live in work/cluster/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${ENGRAM_CLUSTER_DIR:-$ROOT/work/cluster}"
LIB="$ROOT/driver/target/lib"
PORT="${ENGRAM_MASTER_PORT:-7077}"
UI="${ENGRAM_MASTER_UI:-8080}"
FLAGS="$(grep -v '^#' "$ROOT/deploy/jvm.options" | tr '\n' ' ')"
export SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.13 SPARK_HOME="$DIR/spark-home"

alive() { curl -fsS "http://127.0.0.1:$UI/json/" 2>/dev/null | python3 -c 'import json,sys; print(json.load(sys.stdin).get("aliveworkers", 0))' 2>/dev/null || echo -1; }

start() {
  local workers="${1:-2}" cores="${2:-1}" mem="${3:-2g}"
  if [ ! -d "$LIB" ]; then
    "$ROOT/deploy/setup.sh"
    (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
  fi
  mkdir -p "$DIR/spark-home" "$DIR/tmp"
  ln -sfn "$LIB" "$DIR/spark-home/jars"
  if [ -f "$DIR/master.pid" ] && kill -0 "$(cat "$DIR/master.pid")" 2>/dev/null; then
    echo "a master is already running (pid $(cat "$DIR/master.pid")); stop it first" >&2; exit 1
  fi
  # shellcheck disable=SC2086
  nohup java $FLAGS -Xmx512m -Djava.io.tmpdir="$DIR/tmp" -cp "$LIB/*" org.apache.spark.deploy.master.Master \
    --host 127.0.0.1 --port "$PORT" --webui-port "$UI" > "$DIR/master.log" 2>&1 &
  echo $! > "$DIR/master.pid"
  for i in $(seq 1 "$workers"); do
    mkdir -p "$DIR/worker-$i"
    # shellcheck disable=SC2086
    nohup java $FLAGS -Xmx512m -Djava.io.tmpdir="$DIR/tmp" -cp "$LIB/*" org.apache.spark.deploy.worker.Worker \
      "spark://127.0.0.1:$PORT" --host 127.0.0.1 --cores "$cores" --memory "$mem" \
      --webui-port $((UI + i)) --work-dir "$DIR/worker-$i" > "$DIR/worker-$i.log" 2>&1 &
    echo $! > "$DIR/worker-$i.pid"
  done
  for _ in $(seq 1 120); do
    [ "$(alive)" -ge "$workers" ] && { echo "master spark://127.0.0.1:$PORT with $workers workers (UI http://127.0.0.1:$UI)"; return 0; }
    sleep 0.5
  done
  echo "the cluster did not come up; see $DIR/*.log" >&2
  exit 1
}

stop() {
  for f in "$DIR"/worker-*.pid "$DIR"/master.pid; do
    [ -f "$f" ] || continue
    kill "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
  echo "stopped"
}

status() {
  if [ -f "$DIR/master.pid" ] && kill -0 "$(cat "$DIR/master.pid")" 2>/dev/null; then
    echo "master spark://127.0.0.1:$PORT (pid $(cat "$DIR/master.pid")), alive workers: $(alive)"
  else
    echo "not running"
    return 3
  fi
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  status) status ;;
  *) sed -n '2,12p' "$0" >&2; exit 2 ;;
esac
