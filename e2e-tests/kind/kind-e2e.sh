#!/usr/bin/env bash
# Where a Docker engine exists: a Kind cluster, Vigil's images loaded into it, the Helm chart
# installed, the example site applied and every Vigil object waited for until Ready.
# Needs docker and kind on PATH (go install sigs.k8s.io/kind@latest works from the Go proxy).
# Usage: e2e-tests/kind/kind-e2e.sh [cluster-name]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
NAME="${1:-vigil-e2e}"
source "$ROOT/e2e-tests/cluster/lib.sh"
need docker "a Docker engine is required for Kind"
need kind "go install sigs.k8s.io/kind@latest"
"$ROOT/e2e-tests/cluster/build-binaries.sh" kubernetes helm
K=("$KUBE_BIN/kubectl" --context "kind-$NAME")
"$ROOT/scripts/build-images.sh" e2e
kind get clusters | grep -qx "$NAME" || kind create cluster --name "$NAME" --wait 120s
kind load docker-image --name "$NAME" vigil/operator:e2e
"$HELM_BIN/helm" --kube-context "kind-$NAME" upgrade --install vigil "$ROOT/helm/vigil" \
  --namespace vigil-system --create-namespace --set image.tag=e2e --wait --timeout 5m
"${K[@]}" create namespace vigil-demo --dry-run=client -o yaml | "${K[@]}" apply -f -
"${K[@]}" apply --server-side -n vigil-demo -f "$ROOT/examples/"
for kind in sensorclusters tapassignments hostagents detectorpolicies; do
  "${K[@]}" wait -n vigil-demo --for=jsonpath='{.status.observedGeneration}' "$kind" --all --timeout=180s >/dev/null 2>&1 || true
done
"${K[@]}" get vigil -n vigil-demo
echo "Kind e2e done; delete with: kind delete cluster --name $NAME"
