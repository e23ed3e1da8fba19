#!/usr/bin/env bash
# Starts a local control plane on 127.0.0.1 from the Go-built binaries: etcd, kube-apiserver and
# kube-controller-manager (garbage collection, service-account tokens); with --with-nodes also
# kube-scheduler and kwok (simulated nodes; --nodes N, default 3). Prints KUBECONFIG=<path> as its
# last line. Stop with cluster-down.sh, which kills exactly the pids recorded here.
#
# Env: VIGIL_APISERVER_PORT (16443), VIGIL_ETCD_PORT (23790), VIGIL_CLUSTER_STATE (state dir).
source "$(dirname "$0")/lib.sh"

WITH_NODES=false
NODES=3
while [[ $# -gt 0 ]]; do
  case "$1" in
    --with-nodes) WITH_NODES=true ;;  # scheduler + kwok; --nodes 0 adds no generic nodes
    --nodes) NODES="$2"; WITH_NODES=true; shift ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) die "unknown option '$1' (--with-nodes, --nodes N)" ;;
  esac
  shift
done

need openssl "apt-get install -y openssl"
components=(etcd kubernetes)
$WITH_NODES && components+=(kwok)
"${CLUSTER_DIR}/build-binaries.sh" "${components[@]}"

API_PORT="${VIGIL_APISERVER_PORT:-16443}"
ETCD_PORT="${VIGIL_ETCD_PORT:-23790}"
ETCD_PEER_PORT="$((ETCD_PORT + 10))"
PKI="$CLUSTER_STATE/pki"
PIDS="$CLUSTER_STATE/pids"
LOGS="$CLUSTER_STATE/logs"
KUBECONFIG_FILE="$CLUSTER_STATE/kubeconfig"

if [[ -d "$PIDS" ]] && compgen -G "$PIDS/*.pid" >/dev/null; then
  for f in "$PIDS"/*.pid; do
    if kill -0 "$(cat "$f")" 2>/dev/null; then
      die "a local cluster is already running (pid file $f); run 'make cluster-down' first"
    fi
  done
fi
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for p in "$API_PORT" "$ETCD_PORT" "$ETCD_PEER_PORT"; do
  port_free "$p" || die "port $p on 127.0.0.1 is in use (set VIGIL_APISERVER_PORT / VIGIL_ETCD_PORT)"
done

rm -rf "$CLUSTER_STATE"
mkdir -p "$PKI" "$PIDS" "$LOGS" "$CLUSTER_STATE/etcd"

log "generating certificates in $PKI"
(
  cd "$PKI"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key -out ca.crt -days 3650 \
    -subj "/CN=vigil-local-ca" 2>/dev/null
  cat >apiserver.ext <<EXT
subjectAltName=IP:127.0.0.1,IP:10.0.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local
extendedKeyUsage=serverAuth
EXT
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout apiserver.key -out apiserver.csr -subj "/CN=kube-apiserver" 2>/dev/null
  openssl x509 -req -in apiserver.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out apiserver.crt \
    -days 3650 -extfile apiserver.ext 2>/dev/null
  echo "extendedKeyUsage=clientAuth" >client.ext
  # name|subject for each client identity
  for spec in "admin|/O=system:masters/CN=vigil-admin" \
              "controller-manager|/CN=system:kube-controller-manager" \
              "scheduler|/CN=system:kube-scheduler" \
              "kwok|/O=system:masters/CN=vigil-kwok"; do
    name="${spec%%|*}"; subj="${spec#*|}"
    # EC keys are fast to make; the admin key is RSA because Java clients (Fabric8) read it.
    keyopt=(-newkey ec -pkeyopt ec_paramgen_curve:prime256v1)
    [[ "$name" == admin ]] && keyopt=(-newkey rsa:2048)
    openssl req "${keyopt[@]}" -nodes -keyout "$name.key" -out "$name.csr" -subj "$subj" 2>/dev/null
    openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$name.crt" \
      -days 3650 -extfile client.ext 2>/dev/null
  done
  openssl ecparam -name prime256v1 -genkey -noout -out sa.key 2>/dev/null
  openssl ec -in sa.key -pubout -out sa.pub 2>/dev/null
)

write_kubeconfig() { # name file
  cat >"$2" <<KC
apiVersion: v1
kind: Config
clusters:
- name: vigil-local
  cluster:
    server: https://127.0.0.1:${API_PORT}
    certificate-authority: ${PKI}/ca.crt
users:
- name: $1
  user:
    client-certificate: ${PKI}/$1.crt
    client-key: ${PKI}/$1.key
contexts:
- name: vigil-local
  context: {cluster: vigil-local, user: $1}
current-context: vigil-local
KC
}
write_kubeconfig admin "$KUBECONFIG_FILE"
write_kubeconfig controller-manager "$CLUSTER_STATE/controller-manager.kubeconfig"
write_kubeconfig scheduler "$CLUSTER_STATE/scheduler.kubeconfig"
write_kubeconfig kwok "$CLUSTER_STATE/kwok.kubeconfig"

start() { # name binary args...
  local name="$1"; shift
  log "starting $name"
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$PIDS/$name.pid"
}

wait_for() { # what seconds command...
  local what="$1" secs="$2"; shift 2
  local deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      log "$what not ready after ${secs}s; last log lines:"
      tail -n 30 "$LOGS"/*.log >&2 || true
      "${CLUSTER_DIR}/cluster-down.sh" >&2 || true
      die "$what did not become ready"
    fi
    sleep 0.3
  done
}

start etcd "$ETCD_BIN/etcd" --name vigil --data-dir "$CLUSTER_STATE/etcd" \
  --listen-client-urls "http://127.0.0.1:${ETCD_PORT}" --advertise-client-urls "http://127.0.0.1:${ETCD_PORT}" \
  --listen-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" --initial-advertise-peer-urls "http://127.0.0.1:${ETCD_PEER_PORT}" \
  --initial-cluster "vigil=http://127.0.0.1:${ETCD_PEER_PORT}" --unsafe-no-fsync --quota-backend-bytes 2147483648
wait_for etcd 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/${ETCD_PORT}"

start kube-apiserver "$KUBE_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:${ETCD_PORT}" \
  --bind-address 127.0.0.1 --advertise-address 127.0.0.1 --secure-port "$API_PORT" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
  --client-ca-file "$PKI/ca.crt" \
  --service-account-issuer https://kubernetes.default.svc.cluster.local \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-cluster-ip-range 10.0.0.0/24 \
  --authorization-mode RBAC --allow-privileged=true \
  --cert-dir "$CLUSTER_STATE/apiserver-certs"
KUBECTL=("$KUBE_BIN/kubectl" --kubeconfig "$KUBECONFIG_FILE")
wait_for kube-apiserver 60 "${KUBECTL[@]}" get --raw /readyz

start kube-controller-manager "$KUBE_BIN/kube-controller-manager" \
  --kubeconfig "$CLUSTER_STATE/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$CLUSTER_STATE/controller-manager.kubeconfig" \
  --authorization-kubeconfig "$CLUSTER_STATE/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --use-service-account-credentials=true --controllers '*,-nodeipam,-cloud-node-lifecycle'

if $WITH_NODES; then
  start kube-scheduler "$KUBE_BIN/kube-scheduler" \
    --kubeconfig "$CLUSTER_STATE/scheduler.kubeconfig" \
    --authentication-kubeconfig "$CLUSTER_STATE/scheduler.kubeconfig" \
    --authorization-kubeconfig "$CLUSTER_STATE/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false
  start kwok "$KWOK_BIN/kwok" --kubeconfig "$CLUSTER_STATE/kwok.kubeconfig" --config "$KWOK_BIN/stages.yaml" \
    --manage-all-nodes=false --manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake \
    --manage-nodes-with-label-selector= --cidr=10.0.0.1/24 --node-ip=10.0.0.1 \
    --node-lease-duration-seconds=40 --server-address 127.0.0.1:0
  if ((NODES > 0)); then "${CLUSTER_DIR}/kwok-nodes.sh" "$KUBECONFIG_FILE" "$NODES"; fi
fi

# The default ServiceAccount appears once the controller-manager's token controllers run.
wait_for "kube-controller-manager (default ServiceAccount)" 60 "${KUBECTL[@]}" get serviceaccount default -n default
log "local control plane up: apiserver https://127.0.0.1:${API_PORT}, logs in $LOGS"
echo "KUBECONFIG=$KUBECONFIG_FILE"
