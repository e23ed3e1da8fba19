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
  KUBECONFIG="$("$CLUSTER/cluster-up.sh" --nodes 3 | tail -n1 | cut -d= -f2-)"
fi
export KUBECONFIG
K=("$KUBE_BIN/kubectl")
"${K[@]}" get --raw /readyz; echo
"${K[@]}" get nodes -o wide

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
  sleep 5
  say "kubectl get vigil -n vigil-demo"
  "${K[@]}" get vigil -n vigil-demo -o wide || true
  "${K[@]}" get statefulsets,daemonsets,configmaps,pods -n vigil-demo 2>/dev/null || true
fi

say "Done"
echo "The cluster keeps running: export KUBECONFIG=$KUBECONFIG ; stop with 'make cluster-down'."
