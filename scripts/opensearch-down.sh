#!/usr/bin/env bash
# Stops the node opensearch-up.sh started (by its recorded pid) and removes its data.
set -euo pipefail
STATE="${VIGIL_OPENSEARCH_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/opensearch}"
log() { printf '[vigil-opensearch %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
[[ -f "$STATE/pid" ]] || { log "not running"; exit 0; }
pid="$(cat "$STATE/pid")"
if grep -q 'dev.vigil.opensearch.OpenSearchNode' "/proc/$pid/cmdline" 2>/dev/null; then
  kill "$pid"; for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
  log "stopped pid $pid"
fi
rm -rf "$STATE"
