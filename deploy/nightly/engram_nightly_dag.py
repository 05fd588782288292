"""Airflow DAG: Engram's nightly sweeps on a Spark cluster through SparkSubmitOperator.

Each conf in ENGRAM_NIGHTLY_DIR becomes one task running `engram nightly`-style incremental sweeps
(`engram run <conf>`; the ledger replays earlier nights' trials), followed by a report task.
Needs apache-airflow-providers-apache-spark and a `spark_default` connection to the cluster.
"""
import os
from datetime import datetime, timedelta

from airflow import DAG
from airflow.operators.bash import BashOperator
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

ENGRAM_HOME = os.environ.get("ENGRAM_HOME", "/opt/engram")
NIGHTLY_DIR = os.environ.get("ENGRAM_NIGHTLY_DIR", f"{ENGRAM_HOME}/conf/quick")
OUTPUT = os.environ.get("ENGRAM_OUTPUT", "hdfs:///engram/results")
APP_JAR = f"{ENGRAM_HOME}/driver/target/engram-app.jar"
JVM_FLAGS = " ".join(
    line.strip() for line in open(f"{ENGRAM_HOME}/deploy/jvm.options") if line.strip() and not line.startswith("#")
) if os.path.exists(f"{ENGRAM_HOME}/deploy/jvm.options") else ""

with DAG(
    dag_id="engram_nightly",
    description="Engram sweeps, incrementally, every night; report of cells whose CIs moved",
    schedule="30 2 * * *",
    start_date=datetime(2026, 1, 1),
    catchup=False,
    default_args={"retries": 1, "retry_delay": timedelta(minutes=10)},
    tags=["engram"],
) as dag:
    sweeps = []
    confs = sorted(f for f in os.listdir(NIGHTLY_DIR) if f.endswith(".conf")) if os.path.isdir(NIGHTLY_DIR) else []
    for conf in confs:
        sweeps.append(SparkSubmitOperator(
            task_id="sweep_" + conf[:-5].replace(".", "_").replace("-", "_"),
            application=APP_JAR,
            java_class="org.engram.driver.Engram",
            application_args=["run", f"{NIGHTLY_DIR}/{conf}", "--output", OUTPUT, "--run-id", "nightly-{{ ds_nodash }}"],
            conf={
                "spark.driver.extraJavaOptions": JVM_FLAGS,
                "spark.executor.extraJavaOptions": JVM_FLAGS,
                "spark.executorEnv.OPENBLAS_NUM_THREADS": "1",
            },
            conn_id="spark_default",
        ))
    report = BashOperator(
        task_id="report",
        bash_command=f"cd {ENGRAM_HOME} && deploy/engram nightly {NIGHTLY_DIR} --output {OUTPUT} "
                     "--report results/nightly/{{ ds_nodash }}.md",
    )
    for s in sweeps:
        s >> report
