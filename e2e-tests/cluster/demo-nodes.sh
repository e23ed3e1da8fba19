#!/usr/bin/env bash
# The example site's nodes as kwok nodes: three sensor nodes (sensor-01..03, tainted for sensors,
# hugepages for DPDK), CPU and GPU compute partitions and login/data-transfer nodes.
# Usage: demo-nodes.sh KUBECONFIG [compute nodes per partition, default 20]
source "$(dirname "$0")/lib.sh"
KC="$1"; N="${2:-20}"
node() { # name labels(json) allocatable(json) taints(json)
  cat <<NODE
---
apiVersion: v1
kind: Node
metadata:
  name: $1
  annotations: {kwok.x-k8s.io/node: fake}
  labels: $2
spec:
  taints: $4
status:
  allocatable: $3
  capacity: $3
NODE
}
{
  for i in 01 02 03; do
    node "sensor-$i" "{kubernetes.io/hostname: sensor-$i, type: kwok, hpc.example/role: sensor}" \
      '{cpu: "96", memory: 512Gi, pods: "110", hugepages-1Gi: 64Gi}' \
      '[{key: hpc.example/sensor, value: "true", effect: NoSchedule}]'
  done
  for p in cpu gpu; do
    for i in $(seq -w 1 "$N"); do
      node "nid-$p-$i" "{kubernetes.io/hostname: nid-$p-$i, type: kwok, slurm.example/partition: $p}" \
        '{cpu: "128", memory: 512Gi, pods: "110"}' '[]'
    done
  done
  for i in 1 2; do
    node "login-$i" "{kubernetes.io/hostname: login-$i, type: kwok, hpc.example/role: login, hpc.example/internet: \"true\"}" \
      '{cpu: "64", memory: 256Gi, pods: "110"}' '[]'
  done
} | "$KUBE_BIN/kubectl" --kubeconfig "$KC" apply -f - >/dev/null
"$KUBE_BIN/kubectl" --kubeconfig "$KC" wait --for=condition=Ready node -l type=kwok --timeout=120s >/dev/null
log "example site nodes ready: 3 sensor, $((2 * N)) compute, 2 login"
