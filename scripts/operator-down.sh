#!/usr/bin/env bash
# Stops the operator process operator-up.sh started (by its recorded pid).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/e2e-tests/cluster/lib.sh"
STATE="${VIGIL_OPERATOR_STATE:-$VIGIL_CACHE/operator}"
[[ -f "$STATE/pid" ]] || { log "operator not running"; exit 0; }
pid="$(cat "$STATE/pid")"
if grep -q 'quarkus-run.jar' "/proc/$pid/cmdline" 2>/dev/null; then
  kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  log "operator stopped (pid $pid)"
fi
rm -f "$STATE/pid"
