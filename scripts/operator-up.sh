#!/usr/bin/env bash
# Runs the Vigil operator as a local process against $KUBECONFIG (default: the local cluster of
# 'make cluster-up'), applying crds/ first. Prints OPERATOR_PID=<pid> as its last line.
# Env: VIGIL_OPERATOR_STATE (pid and log; default ~/.cache/vigil/operator), VIGIL_OPERATOR_PORT (8080).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
source "$ROOT/e2e-tests/cluster/lib.sh"
JAVA_HOME="$("$ROOT/scripts/jdk.sh")"; export JAVA_HOME
STATE="${VIGIL_OPERATOR_STATE:-$VIGIL_CACHE/operator}"
export KUBECONFIG="${KUBECONFIG:-$CLUSTER_STATE/kubeconfig}"
[[ -f "$KUBECONFIG" ]] || die "no kubeconfig at $KUBECONFIG: run 'make cluster-up' or set KUBECONFIG"
if [[ -f "$STATE/pid" ]] && kill -0 "$(cat "$STATE/pid")" 2>/dev/null; then
  log "operator already running (pid $(cat "$STATE/pid"))"; echo "OPERATOR_PID=$(cat "$STATE/pid")"; exit 0
fi
JAR="$ROOT/operator/target/quarkus-app/quarkus-run.jar"
if [[ ! -f "$JAR" ]]; then
  log "building the operator"
  (cd "$ROOT" && ./mvnw -q -B -pl operator -am install -DskipTests >&2)
fi
# crds/ is the source of truth: take the fields over from other managers (a test harness, the chart).
"$KUBE_BIN/kubectl" apply --server-side --force-conflicts -f "$ROOT/crds/" >&2
"$KUBE_BIN/kubectl" wait --for condition=Established --timeout=60s -f "$ROOT/crds/" >&2
mkdir -p "$STATE"
PORT="${VIGIL_OPERATOR_PORT:-8080}"
log "starting the operator (log $STATE/operator.log, health http://127.0.0.1:$PORT/q/health)"
# VIGIL_OPERATOR_JAVA_OPTS: extra JVM options, e.g. -Dvigil.router.pagerduty-events-url=... (make demo).
# shellcheck disable=SC2086
setsid "$JAVA_HOME/bin/java" ${VIGIL_OPERATOR_JAVA_OPTS:-} -Dquarkus.http.port="$PORT" -Dquarkus.http.host=127.0.0.1 \
  -Dvigil.operator.leader-election.lease-namespace=default \
  -jar "$JAR" >"$STATE/operator.log" 2>&1 </dev/null &
echo $! >"$STATE/pid"
for _ in $(seq 1 120); do
  if curl -fs "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1; then
    log "operator ready"; echo "OPERATOR_PID=$(cat "$STATE/pid")"; exit 0
  fi
  kill -0 "$(cat "$STATE/pid")" 2>/dev/null || { tail -40 "$STATE/operator.log" >&2; die "operator exited"; }
  sleep 0.5
done
tail -40 "$STATE/operator.log" >&2; die "operator not ready after 60 s"
