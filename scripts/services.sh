#!/usr/bin/env bash
# Real services for the integration tests, on loopback: an MLflow tracking server (SQLite) and a
# one-node Slurm cluster. Installs what is missing (pip; Debian packages when root), starts the
# service in the background with its state under STATE_DIR, and stops only what it started.
#
#   scripts/services.sh mlflow-start STATE_DIR PORT [ARTIFACT_ROOT]
#                                                      prints the tracking URI once /health answers; with
#                                                      ARTIFACT_ROOT the server keeps artifacts there and
#                                                      does not serve them (--no-serve-artifacts)
#   scripts/services.sh mlflow-stop  STATE_DIR
#   scripts/services.sh slurm-start  STATE_DIR        prints the SLURM_CONF path once the node is idle
#   scripts/services.sh slurm-stop   STATE_DIR
set -euo pipefail
command="${1:?usage: services.sh mlflow-start|mlflow-stop|slurm-start|slurm-stop STATE_DIR [PORT]}"
state="${2:?STATE_DIR missing}"
mkdir -p "$state"
state="$(cd "$state" && pwd)"

say() { echo "services.sh: $*" >&2; }

stop_pidfile() {
  local pidfile="$1"
  [ -f "$pidfile" ] || return 0
  local pid; pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    say "cannot install $* (Debian packages need root); install them and run again"; exit 1
  fi
  # Packages must not start daemons of their own: this script starts what it tracks.
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
  rm -f /usr/sbin/policy-rc.d
}

case "$command" in
  mlflow-start)
    port="${3:?PORT missing}"
    if ! command -v mlflow >/dev/null 2>&1; then
      say "installing mlflow with pip"
      python3 -m pip install -q mlflow >&2
      hash -r
    fi
    stop_pidfile "$state/mlflow.pid"
    if [ -n "${4:-}" ]; then
      artifacts=(--default-artifact-root "$4" --no-serve-artifacts)
    else
      artifacts=(--artifacts-destination "$state/artifacts")
    fi
    # setsid: the server and its workers form one process group, stopped together.
    setsid mlflow server --backend-store-uri "sqlite:///$state/mlflow.db" "${artifacts[@]}" \
      --host 127.0.0.1 --port "$port" --workers 1 > "$state/mlflow.log" 2>&1 < /dev/null &
    echo $! > "$state/mlflow.pid"
    for _ in $(seq 1 240); do
      if curl -sf "http://127.0.0.1:$port/health" > /dev/null 2>&1; then
        echo "http://127.0.0.1:$port"; exit 0
      fi
      kill -0 "$(cat "$state/mlflow.pid")" 2>/dev/null || { say "mlflow server exited: $(tail -3 "$state/mlflow.log")"; exit 1; }
      sleep 0.5
    done
    say "mlflow server did not answer on port $port within 120 s: $(tail -3 "$state/mlflow.log")"; exit 1
    ;;
  mlflow-stop)
    if [ -f "$state/mlflow.pid" ]; then
      kill -- -"$(cat "$state/mlflow.pid")" 2>/dev/null || true
    fi
    stop_pidfile "$state/mlflow.pid"
    ;;
  slurm-start)
    if ! command -v slurmctld >/dev/null 2>&1 || ! command -v slurmd >/dev/null 2>&1 || ! command -v sbatch >/dev/null 2>&1; then
      say "installing Slurm (slurmctld slurmd slurm-client)"
      apt_install slurmctld slurmd slurm-client
    fi
    mkdir -p "$state/spool/ctld" "$state/spool/d" "$state/log"
    cpus="$(nproc)"
    cat > "$state/slurm.conf" <<CONF
ClusterName=hkdtest
SlurmctldHost=localhost
SlurmctldPort=$(( 16817 ))
SlurmdPort=$(( 16818 ))
SlurmUser=root
SlurmdUser=root
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
MailProg=/bin/true
StateSaveLocation=$state/spool/ctld
SlurmdSpoolDir=$state/spool/d
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$state/slurm.conf"
    "$0" slurm-stop "$state"
    slurmctld -f "$SLURM_CONF" >&2
    slurmd -f "$SLURM_CONF" -N localhost >&2
    for _ in $(seq 1 120); do
      if [ "$(sinfo -h -n localhost -o %t 2>/dev/null)" = "idle" ]; then
        echo "$SLURM_CONF"; exit 0
      fi
      sleep 0.5
    done
    say "Slurm node not idle within 60 s: $(tail -3 "$state/log/slurmctld.log" 2>/dev/null)"; exit 1
    ;;
  slurm-stop)
    stop_pidfile "$state/slurmd.pid"
    stop_pidfile "$state/slurmctld.pid"
    ;;
  *)
    say "unknown command $command"; exit 2
    ;;
esac
