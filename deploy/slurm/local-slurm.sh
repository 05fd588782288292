#!/usr/bin/env bash
# A one-node Slurm cluster on this host, on loopback, to try deploy/slurm/engram.sbatch without an HPC account
# (Debian's slurm-wlm and munge; run as root; no system service is touched, no systemd or cgroups needed):
#
#   deploy/slurm/local-slurm.sh start [dir]     # config, munge key, state and logs under dir (default work/slurm)
#   source <dir>/env                            # SLURM_CONF for sbatch, squeue, scontrol, scancel
#   deploy/slurm/local-slurm.sh stop [dir]      # every daemon stopped by its PID
#
# Requeue is quick here (cred_expire=5, sched_interval=1): a requeued job runs again ≈ 6 s after its first attempt ended.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DIR="$(mkdir -p "${2:-$ROOT/work/slurm}" && cd "${2:-$ROOT/work/slurm}" && pwd)"
PATH="$PATH:/usr/sbin:/sbin"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

stop() {
  for f in "$DIR/slurmd.pid" "$DIR/slurmctld.pid" "$DIR/munge/munged.pid"; do
    [ -f "$f" ] || continue
    pid="$(cat "$f")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  echo "slurm stopped"
}

start() {
  for b in munged slurmctld slurmd sbatch scontrol sinfo; do
    command -v "$b" >/dev/null || { echo "local-slurm: $b not found (apt-get install slurm-wlm munge; deploy/setup.sh does)" >&2; exit 3; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "local-slurm: run as root (slurmd runs jobs as their users)" >&2; exit 3; }
  stop >/dev/null
  mkdir -p "$DIR/munge/etc" "$DIR/munge/run" "$DIR/state" "$DIR/spool"
  chmod 700 "$DIR/munge/etc"
  chmod 755 "$DIR" "$DIR/munge" "$DIR/munge/run"
  if [ ! -f "$DIR/munge/etc/munge.key" ]; then
    head -c 1024 /dev/urandom > "$DIR/munge/etc/munge.key"
    chmod 400 "$DIR/munge/etc/munge.key"
  fi
  local sock="$DIR/munge/run/munge.socket"
  munged --key-file="$DIR/munge/etc/munge.key" --socket="$sock" --pid-file="$DIR/munge/munged.pid" \
    --log-file="$DIR/munge/munged.log" --seed-file="$DIR/munge/munged.seed" --force
  local host mem
  host="$(hostname -s)"
  mem="$(slurmd -C | sed -n 's/.*RealMemory=\([0-9]*\).*/\1/p')"
  cat > "$DIR/slurm.conf" <<EOF
ClusterName=engram-local
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock,cred_expire=5
ProctrackType=proctrack/pgid
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,sched_interval=1
MailProg=/bin/true
ReturnToService=2
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem State=UNKNOWN
PartitionName=local Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
  echo "export SLURM_CONF=$DIR/slurm.conf" > "$DIR/env"
  export SLURM_CONF="$DIR/slurm.conf"
  slurmctld -i
  slurmd
  for _ in $(seq 1 100); do
    [ "$(sinfo -h -N -o %T 2>/dev/null | head -1)" = "idle" ] && { echo "slurm up: $host, $(nproc) CPUs, $mem MB (source $DIR/env)"; return 0; }
    sleep 0.2
  done
  echo "local-slurm: the node did not become idle; see $DIR/*.log" >&2
  exit 1
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) sed -n '2,9p' "$0" >&2; exit 2 ;;
esac
