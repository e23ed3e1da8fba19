#!/usr/bin/env bash
# make demo: brings up the local control plane (with kwok nodes), installs Vigil's CRDs, runs the
# operator when it is built, applies the example site and shows what Vigil made of it.
# Leaves the cluster running; stop it with 'make cluster-down' (and 'make operator-down').
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CLUSTER="$ROOT/e2e-tests/cluster"
source "$CLUSTER/lib.sh"
say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

say "Local control plane (etcd, kube-apiserver, controller-manager, scheduler, kwok)"
if [[ -f "$CLUSTER_STATE/kubeconfig" ]] && "$KUBE_BIN/kubectl" --kubeconfig "$CLUSTER_STATE/kubeconfig" get --raw /readyz >/dev/null 2>&1; then
  KUBECONFIG="$CLUSTER_STATE/kubeconfig"
else
  KUBECONFIG="$("$CLUSTER/cluster-up.sh" --with-nodes --nodes 0 | tail -n1 | cut -d= -f2-)"
fi
export KUBECONFIG
K=("$KUBE_BIN/kubectl")
"${K[@]}" get --raw /readyz; echo
"$CLUSTER/demo-nodes.sh" "$KUBECONFIG" "${VIGIL_DEMO_COMPUTE_NODES:-20}"
"${K[@]}" get nodes -L hpc.example/role,slurm.example/partition | sed -n 1,8p
echo "... $("${K[@]}" get nodes --no-headers | wc -l) nodes (kwok)"

if compgen -G "$ROOT/crds/*.yaml" >/dev/null; then
  say "Vigil CRDs (generated from the Java model)"
  "${K[@]}" apply --server-side -f "$ROOT/crds/"
  "${K[@]}" wait --for condition=Established --timeout=60s -f "$ROOT/crds/"
  "${K[@]}" api-resources --api-group=vigil.dev
fi

if [[ -x "$ROOT/scripts/operator-up.sh" ]]; then
  say "Vigil operator"
  "$ROOT/scripts/operator-up.sh"
fi

if [[ -d "$ROOT/examples" ]] && compgen -G "$ROOT/examples/*.yaml" >/dev/null; then
  say "Example site (examples/)"
  "${K[@]}" create namespace vigil-demo --dry-run=client -o yaml | "${K[@]}" apply -f -
  "${K[@]}" apply --server-side -n vigil-demo -f "$ROOT/examples/"
  say "Waiting for every Vigil object to be Ready at its current generation"
  for _ in $(seq 1 90); do
    not_ready="$("${K[@]}" get sensorclusters,tapassignments,hostagents,detectorpolicies -n vigil-demo \
      -o jsonpath='{range .items[*]}{.kind}/{.metadata.name} {.metadata.generation} {.status.observedGeneration} {.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' |
      awk '$2 != $3 || $4 != "True"')"
    [[ -z "$not_ready" ]] && break
    sleep 2
  done
  [[ -z "$not_ready" ]] || { echo "not ready yet:"; echo "$not_ready"; }
  say "kubectl get vigil -n vigil-demo"
  "${K[@]}" get vigil -n vigil-demo || true
  say "What the operator made"
  "${K[@]}" get statefulsets,daemonsets,configmaps -n vigil-demo 2>/dev/null || true
  echo "sensor pods: $("${K[@]}" get pods -n vigil-demo -l app.kubernetes.io/component=sensor --no-headers | awk '{print $3}' | sort | uniq -c | xargs)"
  echo "agent pods:  $("${K[@]}" get pods -n vigil-demo -l app.kubernetes.io/component=agent --no-headers | awk '{print $3}' | sort | uniq -c | xargs)"
  say "Scale a link: kubectl scale tapassignment/border-4 --replicas=8"
  "${K[@]}" scale -n vigil-demo tapassignment/border-4 --replicas=8
  sleep 5
  "${K[@]}" get tapassignment/border-4 statefulset/border-4-sensor -n vigil-demo
fi

say "Done"
echo "The cluster keeps running: export KUBECONFIG=$KUBECONFIG ; stop with 'make cluster-down'."
