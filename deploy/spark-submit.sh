#!/usr/bin/env bash
# Submits a sweep to a Spark cluster (standalone, YARN, Kubernetes) in client mode:
#
#   MASTER=spark://head:7077 deploy/spark-submit.sh conf/sweeps/rnn.reinforcement.conf [--set k=v ...]
#
# Uses $SPARK_HOME/bin/spark-submit when SPARK_HOME is set, otherwise Spark's SparkSubmit from the
# project's own jars (driver/target/lib). The application jar (driver/target/engram-app.jar) holds
# Engram and its few libraries; Spark, Hadoop, Parquet and MLlib come from the cluster. Extra
# spark-submit options go in SPARK_SUBMIT_OPTS_EXTRA, e.g. "--executor-memory 4g --num-executors 50".
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 1 ] || { sed -n '2,10p' "$0" >&2; exit 2; }
CONF="$1"; shift
APP="$ROOT/driver/target/engram-app.jar"
LIB="$ROOT/driver/target/lib"
if [ ! -f "$APP" ] || [ ! -d "$LIB" ]; then
  "$ROOT/deploy/setup.sh"
  (cd "$ROOT" && mvn -q -B -DskipTests package) >&2
fi
MASTER="${MASTER:-local[*]}"
FLAGS="$(grep -v '^#' "$ROOT/deploy/jvm.options" | tr '\n' ' ')"
COMMIT="$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)"
export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}"
mkdir -p "$ROOT/work/tmp"
ARGS=(--master "$MASTER" --deploy-mode client --class org.engram.driver.Engram
  --driver-java-options "$FLAGS -Dengram.git.commit=$COMMIT -Dlog4j.configurationFile=$ROOT/deploy/log4j2.properties -Dengram.log.dir=$ROOT/work/logs -Dengram.home=$ROOT"
  --conf "spark.executor.extraJavaOptions=$FLAGS"
  --conf "spark.executorEnv.OPENBLAS_NUM_THREADS=1"
  ${SPARK_SUBMIT_OPTS_EXTRA:-})
if [ -n "${SPARK_HOME:-}" ]; then
  exec "$SPARK_HOME/bin/spark-submit" "${ARGS[@]}" "$APP" run "$CONF" "$@"
fi
# shellcheck disable=SC2086
exec java $FLAGS -Djava.io.tmpdir="$ROOT/work/tmp" -cp "$LIB/*" org.apache.spark.deploy.SparkSubmit \
  "${ARGS[@]}" "$APP" run "$CONF" "$@"
