#!/usr/bin/env bash
# make demo: the whole fabric on one machine, end to end.
#   1. builds what it needs; starts the local control plane (kwok nodes named like the example
#      site's), a real OpenSearch node and the operator;
#   2. applies examples/ (the AlertPipeline pointed at the local node, its Slack/PagerDuty routes at
#      a local receiver) plus examples/demo/demo-policy.yaml, and waits for every object to be Ready;
#   3. runs the sensor on the demo capture (a blocklisted JA3, a Stratum session, a connect-back,
#      threat-intel trail hits) with the policy the operator compiled, shipping to OpenSearch;
#   4. runs the agent on this host (root: eBPF) as compute node nid-cpu-01 while a synthetic miner
#      runs in a Slurm-style job cgroup and connects back to a test host in a network namespace;
#   5. prints the alerts found with node, job and user, what the router sent, how to query
#      OpenSearch and where the dashboards are; then stops everything it started.
# VIGIL_DEMO_KEEP=1 leaves what it started running (stop with make operator-down, opensearch-down,
# cluster-down).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLUSTER="$ROOT/e2e-tests/cluster"
source "$CLUSTER/lib.sh"
JAVA_HOME="$("$ROOT/scripts/jdk.sh")"; export JAVA_HOME
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
step() { printf '   %s\n' "$*"; }
DEMO="${VIGIL_DEMO_DIR:-$(mktemp -d /tmp/vigil-demo.XXXXXX)}"
NS=vigil-demo
NODE=nid-cpu-01
JOB=4242
NETNS=vigil-demo
TEST_HOST=198.51.100.77
started=()
pids=()
cgroups=()

cleanup() {
  local rc=$?
  set +e
  if [[ "${VIGIL_DEMO_KEEP:-0}" == 1 ]]; then
    say "Left running (VIGIL_DEMO_KEEP=1): ${started[*]:-nothing new}; demo files in $DEMO"
    exit "$rc"
  fi
  say "Stopping what the demo started"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null; done
  pkill -f "$DEMO/bin/xmrig" 2>/dev/null
  ip netns del "$NETNS" 2>/dev/null
  ip link del vdemo0 2>/dev/null
  for ((i = ${#cgroups[@]} - 1; i >= 0; i--)); do rmdir "${cgroups[$i]}" 2>/dev/null; done
  for s in "${started[@]}"; do
    case "$s" in
      operator) "$ROOT/scripts/operator-down.sh" >/dev/null 2>&1 ;;
      opensearch) "$ROOT/scripts/opensearch-down.sh" >/dev/null 2>&1 ;;
      cluster) "$CLUSTER/cluster-down.sh" >/dev/null 2>&1 ;;
    esac
    step "stopped $s"
  done
  step "demo files (logs, capture, compiled policy) kept in $DEMO"
  exit "$rc"
}
trap cleanup EXIT INT TERM

# --- 1. build and start ------------------------------------------------------------------------
say "Build (first run only: Maven, then cached)"
if [[ ! -f "$ROOT/operator/target/quarkus-app/quarkus-run.jar" ||
      ! -d "$ROOT/sensor-image/target/test-classes/dev/vigil/sensor/demo" ||
      ! -f "$ROOT/agent-image/target/classes/bpf/vigil_agent.bpf.o" ]]; then
  step "building every module (a few minutes; progress below)"
  (cd "$ROOT" && ./mvnw -B install -DskipTests 2>&1 |
    grep --line-buffered -E '^\[INFO\] (Building |BUILD)' | sed -u 's/^\[INFO\] /   /')
else
  step "already built"
fi

say "Local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)"
if [[ -f "$CLUSTER_STATE/kubeconfig" ]] && "$KUBE_BIN/kubectl" --kubeconfig "$CLUSTER_STATE/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  KUBECONFIG="$CLUSTER_STATE/kubeconfig"; step "already running"
else
  step "starting (builds the Go binaries on the first run, ~20 min, cached afterwards)"
  KUBECONFIG="$("$CLUSTER/cluster-up.sh" --with-nodes --nodes 0 | tail -n1 | cut -d= -f2-)"
  started+=(cluster)
fi
export KUBECONFIG
K=("$KUBE_BIN/kubectl")
"$CLUSTER/demo-nodes.sh" "$KUBECONFIG" "${VIGIL_DEMO_COMPUTE_NODES:-20}"
step "$("${K[@]}" get nodes --no-headers | wc -l) kwok nodes: sensor-01..03, nid-cpu-*, nid-gpu-*, login-1..2"

say "OpenSearch (one real node, its own JVM)"
was_up=0; curl -fs "$(cat "$VIGIL_CACHE/opensearch/url" 2>/dev/null | cut -d= -f2- || echo http://127.0.0.1:1)" >/dev/null 2>&1 && was_up=1
OS_URL="$("$ROOT/scripts/opensearch-up.sh" | tail -n1 | cut -d= -f2-)"
OS_URL="${OS_URL%/}"
[[ $was_up == 1 ]] || started+=(opensearch)
step "$OS_URL"

say "Alert receivers (stand-ins for Slack and PagerDuty, recording what they get)"
RPORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
python3 "$ROOT/scripts/demo-receiver.py" "$RPORT" "$DEMO/notifications.jsonl" &
pids+=($!)
step "http://127.0.0.1:$RPORT (requests logged to $DEMO/notifications.jsonl)"

say "Vigil operator"
if [[ -f "$VIGIL_CACHE/operator/pid" ]] && kill -0 "$(cat "$VIGIL_CACHE/operator/pid")" 2>/dev/null; then
  step "already running (its PagerDuty route goes to the real PagerDuty URL)"
else
  VIGIL_OPERATOR_JAVA_OPTS="-Dvigil.router.pagerduty-events-url=http://127.0.0.1:$RPORT/pagerduty -Dvigil.router.poll-interval=1s" \
    "$ROOT/scripts/operator-up.sh" >/dev/null
  started+=(operator)
  step "running (log $VIGIL_CACHE/operator/operator.log)"
fi

# --- 2. the example site -----------------------------------------------------------------------
say "Example site (examples/ + examples/demo/demo-policy.yaml) in namespace $NS"
"${K[@]}" create namespace "$NS" --dry-run=client -o yaml | "${K[@]}" apply -f - >/dev/null
"${K[@]}" apply --server-side --force-conflicts -n "$NS" -f "$ROOT/examples/" -f "$ROOT/examples/demo/demo-policy.yaml" >/dev/null
# The example names a site's OpenSearch Services and a placeholder CA: point it at the local node.
"${K[@]}" patch -n "$NS" alertpipeline site --type=json -p "[
  {\"op\":\"replace\",\"path\":\"/spec/opensearch/endpoints\",\"value\":[\"$OS_URL\"]},
  {\"op\":\"remove\",\"path\":\"/spec/opensearch/caSecretRef\"},
  {\"op\":\"replace\",\"path\":\"/spec/opensearch/replicas\",\"value\":0},
  {\"op\":\"replace\",\"path\":\"/spec/dedupWindow\",\"value\":\"20s\"}]" >/dev/null
"${K[@]}" create secret generic slack-secops -n "$NS" \
  --from-literal=webhook-url="http://127.0.0.1:$RPORT/slack/services/T000/B000/secops" \
  --dry-run=client -o yaml | "${K[@]}" apply -f - >/dev/null
"${K[@]}" create secret generic slack-hpc-ops -n "$NS" \
  --from-literal=webhook-url="http://127.0.0.1:$RPORT/slack/services/T000/B001/hpc-ops" \
  --dry-run=client -o yaml | "${K[@]}" apply -f - >/dev/null
step "waiting for every Vigil object to be Ready at its current generation"
not_ready=x
for _ in $(seq 1 120); do
  not_ready="$("${K[@]}" get sensorclusters,tapassignments,hostagents,detectorpolicies,alertpipelines -n "$NS" \
    -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
    awk '$2 != $3 || $4 != "True"')"
  [[ -z "$not_ready" ]] && break
  sleep 2
done
[[ -z "$not_ready" ]] || { echo "not Ready:"; echo "$not_ready"; "${K[@]}" get alertpipeline site -n "$NS" -o yaml | sed -n '/^status/,$p'; exit 1; }
"${K[@]}" get vigil -n "$NS"

say "The policy the operator compiled (what sensors and agents mount)"
mkdir -p "$DEMO/policy"
for p in $("${K[@]}" get detectorpolicies -n "$NS" -o jsonpath='{.items[*].metadata.name}'); do
  "${K[@]}" get configmap "$p-policy" -n "$NS" -o "jsonpath={.data.$p\.json}" >"$DEMO/policy/$p.json"
  step "$DEMO/policy/$p.json ($(wc -c <"$DEMO/policy/$p.json") bytes)"
done
PREFIX="$("${K[@]}" get alertpipeline site -n "$NS" -o jsonpath='{.spec.opensearch.indexPrefix}')"
"${K[@]}" get secret opensearch-writer -n "$NS" -o jsonpath='{.data.password}' | base64 -d >"$DEMO/os-password"
chmod 600 "$DEMO/os-password"
OS_USER="$("${K[@]}" get secret opensearch-writer -n "$NS" -o jsonpath='{.data.username}' | base64 -d)"
SHIP=(--opensearch "$OS_URL" --opensearch-user "$OS_USER" --opensearch-password-file "$DEMO/os-password" --index-prefix "$PREFIX")

# --- 3. the sensor on the demo capture ---------------------------------------------------------
say "Sensor on the demo capture (link border-1, sensor-01)"
"$JAVA_HOME/bin/java" -cp "$ROOT/sensor-image/target/test-classes:$ROOT/sensor-image/target/classes" \
  dev.vigil.sensor.demo.DemoCapture "$DEMO/border-1.pcap"
step "capture: $DEMO/border-1.pcap (generated with current timestamps by DemoCapture)"
"$ROOT/sensor-image/vigil-sensor" --read "$DEMO/border-1.pcap" --logs "$DEMO/sensor" \
  --policy-dir "$DEMO/policy" --sensor-name border-1-sensor-0 --link border-1 \
  "${SHIP[@]}" --spool-dir "$DEMO/sensor-spool" 2>"$DEMO/sensor.err" || { cat "$DEMO/sensor.err"; exit 1; }
for f in conn ssl dns http notice; do
  [[ -f "$DEMO/sensor/$f.log" ]] && step "$f.log: $(wc -l <"$DEMO/sensor/$f.log") lines"
done

# --- 4. the agent on this host -----------------------------------------------------------------
agent_ran=0
if [[ $EUID -ne 0 ]]; then
  say "Agent skipped: eBPF needs root (run make demo as root to see the host side)"
else
  say "Agent on this host (as node $NODE) with a synthetic miner and a connect-back"
  mountpoint -q /sys/kernel/tracing || mount -t tracefs nodev /sys/kernel/tracing
  "$ROOT/agent-image/vigil-agent" --events "$DEMO/agent" --policy-dir "$DEMO/policy" --node "$NODE" \
    --sample-interval-ms 1000 "${SHIP[@]}" >"$DEMO/agent.out" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do grep -q '"event":"started"\|attached\|listening' "$DEMO/agent/agent.log" 2>/dev/null && break; sleep 1; done
  sleep 2
  step "agent running (events in $DEMO/agent)"

  # A Slurm-style job cgroup (v2: <scope>/job_<id>/step_0; v1: cpuset/slurm/uid_<uid>/job_<id>/step_0
  # plus the unified tree the BPF events name).
  job_dirs=()
  if [[ -f /sys/fs/cgroup/cgroup.controllers ]]; then
    d=/sys/fs/cgroup/vigil-demo_slurmstepd.scope
    for level in "" /job_$JOB /job_$JOB/step_0; do mkdir -p "$d$level"; cgroups+=("$d$level"); done
    job_dirs+=("$d/job_$JOB/step_0")
  else
    d=/sys/fs/cgroup/cpuset
    for level in slurm uid_65534 job_$JOB step_0; do
      d="$d/$level"
      [[ -d "$d" ]] || { mkdir "$d"; cgroups+=("$d"); }
      [[ -n "$(cat "$d/cpuset.mems")" ]] || cat "$(dirname "$d")/cpuset.mems" >"$d/cpuset.mems"
      [[ -n "$(cat "$d/cpuset.cpus")" ]] || cat "$(dirname "$d")/cpuset.cpus" >"$d/cpuset.cpus"
      # the job gets one core, as Slurm would give a one-core job
      [[ $level == job_* || $level == step_0 ]] && echo 0 >"$d/cpuset.cpus"
    done
    job_dirs+=("$d")
    if [[ -f /sys/fs/cgroup/unified/cgroup.controllers ]]; then
      u=/sys/fs/cgroup/unified/vigil-demo_slurmstepd.scope
      for level in "" /job_$JOB /job_$JOB/step_0; do mkdir -p "$u$level"; cgroups+=("$u$level"); done
      job_dirs+=("$u/job_$JOB/step_0")
    fi
  fi
  in_job() { # runs the command line $1 as user nobody inside the job (passed through the
    # environment, so the joining shell's own command line does not carry it)
    VIGIL_DEMO_DIRS="${job_dirs[*]}" VIGIL_DEMO_CMD="$1" bash -c \
      'for d in $VIGIL_DEMO_DIRS; do echo $$ > "$d/cgroup.procs"; done
       eval "exec setpriv --reuid=65534 --regid=65534 --clear-groups $VIGIL_DEMO_CMD"'
  }

  # The test host: a "public" address in a network namespace, outside the internal networks and
  # the allowed destinations of the example policy.
  ip netns add "$NETNS"
  ip link add vdemo0 type veth peer name vdemo1
  ip link set vdemo1 netns "$NETNS"
  ip addr add 198.51.100.1/24 dev vdemo0 && ip link set vdemo0 up
  ip netns exec "$NETNS" ip addr add "$TEST_HOST/24" dev vdemo1
  ip netns exec "$NETNS" ip link set vdemo1 up
  ip netns exec "$NETNS" ip link set lo up
  ip netns exec "$NETNS" python3 -m http.server 8080 --bind "$TEST_HOST" >/dev/null 2>&1 &
  pids+=($!)
  sleep 1

  mkdir -p "$DEMO/bin" && cp "$(command -v perl)" "$DEMO/bin/xmrig"
  step "job $JOB (user nobody): $DEMO/bin/xmrig -o stratum+tcp://203.0.113.45:3333 --donate-level 1 (a busy loop, little memory)"
  in_job "$DEMO/bin/xmrig -e '1 while 1' -- -o stratum+tcp://203.0.113.45:3333 --donate-level 1" &
  pids+=($!)
  step "job $JOB (user nobody): curl http://$TEST_HOST:8080/ (connect-back to a non-internal address)"
  for _ in 1 2 3; do in_job "curl -s -m 3 -o /dev/null http://$TEST_HOST:8080/" || true; sleep 1; done
  step "waiting for the silent-miner window (1 minute in demo-policy.yaml) to pass"
  for _ in $(seq 1 90); do
    grep -q '"SilentMiner"' "$DEMO/agent/notice.log" 2>/dev/null && break
    sleep 1
  done
  agent_ran=1
fi

# --- 5. what Vigil found ------------------------------------------------------------------------
say "Alerts in OpenSearch ($PREFIX-alerts-*)"
for _ in $(seq 1 60); do
  curl -s -XPOST "$OS_URL/$PREFIX-alerts-*/_refresh" >/dev/null
  n="$(curl -s "$OS_URL/$PREFIX-alerts-*/_count" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count",0))' 2>/dev/null || echo 0)"
  agent_n="$(curl -s "$OS_URL/$PREFIX-alerts-*/_count?q=event.dataset:vigil.agent" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("count",0))' 2>/dev/null || echo 0)"
  [[ "$n" -gt 0 && ( $agent_ran == 0 || "$agent_n" -gt 0 ) ]] && break
  sleep 2
done
curl -s "$OS_URL/$PREFIX-alerts-*/_search?size=100&sort=@timestamp:asc" | python3 "$ROOT/scripts/demo-alerts.py"

say "What the router sent (dedup window 20 s for the demo; the example says 10m)"
sleep 25
if [[ -s "$DEMO/notifications.jsonl" ]]; then
  python3 - "$DEMO/notifications.jsonl" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    body = r.get("body") or {}
    if r["path"].startswith("/pagerduty"):
        p = body.get("payload", {})
        print(f"   PagerDuty {body.get('event_action')}: {p.get('summary', '')} (dedup_key {body.get('dedup_key')})")
    else:
        channel = r["path"].rsplit("/", 1)[-1]  # one webhook per channel: secops, hpc-ops
        print(f"   Slack #{channel}: " + (body.get("text", "") or "").replace("\n", "\n          "))
PY
else
  step "nothing yet (groups are sent when their window ends quiet; see $VIGIL_CACHE/operator/operator.log)"
fi

say "Ask OpenSearch yourself"
cat <<EOF
   curl -s '$OS_URL/$PREFIX-alerts-*/_search?q=rule.name:Stratum&pretty'
   curl -s '$OS_URL/$PREFIX-alerts-*/_search?q=orchestrator.job.id:$JOB&pretty'     # node → job → user
   curl -s '$OS_URL/$PREFIX-conn-*/_search?q=id.orig_h:10.20.1.15&pretty'          # the beacon's connections
   Dashboards: helm/vigil/dashboards/opensearch/vigil.ndjson (OpenSearch Dashboards saved objects;
   import: curl -XPOST <dashboards>/api/saved_objects/_import -H osd-xsrf:true --form file=@...)
   and helm/vigil/dashboards/grafana/vigil.json (Grafana; the chart ships both as ConfigMaps).
EOF
