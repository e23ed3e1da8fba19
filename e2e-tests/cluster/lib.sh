#!/usr/bin/env bash
# Shared helpers for the cluster scripts. Source, do not execute.
set -euo pipefail

CLUSTER_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "${CLUSTER_DIR}/versions.env"

VIGIL_CACHE="${VIGIL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}"
BIN_CACHE="${VIGIL_CACHE}/bin"
KUBE_BIN="${BIN_CACHE}/kubernetes-${KUBE_VERSION}"
ETCD_BIN="${BIN_CACHE}/etcd-${ETCD_VERSION}"
KWOK_BIN="${BIN_CACHE}/kwok-${KWOK_VERSION}"
HELM_BIN="${BIN_CACHE}/helm-${HELM_VERSION}"
# State of a running local cluster (pids, certs, kubeconfig, logs).
CLUSTER_STATE="${VIGIL_CLUSTER_STATE:-${VIGIL_CACHE}/cluster}"

log() { printf '[vigil-cluster %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need() {
  local cmd="$1" hint="$2"
  command -v "$cmd" >/dev/null 2>&1 || die "'$cmd' is not installed: $hint"
}
