#!/usr/bin/env bash
# Creates N kwok-managed fake nodes (default 3) named vigil-node-<i>, each with 64 CPUs, 256Gi,
# hugepages and a fake SR-IOV resource so sensor pods can be scheduled. Usage: kwok-nodes.sh KUBECONFIG [N]
source "$(dirname "$0")/lib.sh"
KC="$1"; N="${2:-3}"
for i in $(seq 0 $((N - 1))); do
  cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: vigil-node-$i
  annotations:
    kwok.x-k8s.io/node: fake
  labels:
    kubernetes.io/hostname: vigil-node-$i
    kubernetes.io/os: linux
    kubernetes.io/arch: amd64
    type: kwok
status:
  allocatable: {cpu: "64", memory: 256Gi, pods: "110", hugepages-1Gi: 16Gi, intel.com/sriov_netdevice: "8"}
  capacity: {cpu: "64", memory: 256Gi, pods: "110", hugepages-1Gi: 16Gi, intel.com/sriov_netdevice: "8"}
NODE
done | "$KUBE_BIN/kubectl" --kubeconfig "$KC" apply -f - >&2
log "$N kwok nodes applied"
"$KUBE_BIN/kubectl" --kubeconfig "$KC" wait --for=condition=Ready node -l type=kwok --timeout=60s >&2
