#!/usr/bin/env bash
# Stops exactly the processes cluster-up.sh started (by recorded pid, checked against the binary
# path so a recycled pid is never killed), then removes the cluster state.
source "$(dirname "$0")/lib.sh"
PIDS="$CLUSTER_STATE/pids"
if [[ ! -d "$PIDS" ]]; then log "no local cluster state in $CLUSTER_STATE"; exit 0; fi
ours() { # pid -> true when /proc/pid/cmdline points into our binary cache
  [[ -r "/proc/$1/cmdline" ]] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -q "$BIN_CACHE/"
}
# Stop in reverse dependency order: clients first, etcd last.
for name in kwok kube-scheduler kube-controller-manager kube-apiserver etcd; do
  f="$PIDS/$name.pid"; [[ -f "$f" ]] || continue
  pid="$(cat "$f")"
  if ours "$pid"; then
    log "stopping $name (pid $pid)"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do ours "$pid" || break; sleep 0.1; done
    if ours "$pid"; then log "$name did not stop on TERM; sending KILL"; kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$f"
done
rm -rf "$CLUSTER_STATE"
log "local control plane stopped"
