#!/usr/bin/env bash
# Builds kube-apiserver, kube-controller-manager, kube-scheduler, kubectl, etcd, kwok and helm
# from the Go module proxy, caching each by version under ${XDG_CACHE_HOME:-~/.cache}/vigil/bin.
# A second run with the same versions builds nothing. See docs/adr/0001-control-plane-from-go-modules.md.
#
# Usage: build-binaries.sh [component...]   (default: all)
source "$(dirname "$0")/lib.sh"

need go "install Go 1.25+ (Debian: golang, or the machine's toolchain)"
GO_BUILD_FLAGS=(-trimpath)
export GOFLAGS="${GOFLAGS:--buildvcs=false}"
export CGO_ENABLED=0

# Runs go build in a throwaway wrapper module; the real binaries land in $out atomically.
# $1 = out dir, $2 = go.mod body, $3 = ldflags, rest = packages
build_in_wrapper() {
  local out="$1" gomod="$2" ldflags="$3"; shift 3
  local work; work="$(mktemp -d)"
  printf '%s\n' "$gomod" >"$work/go.mod"
  {
    echo "//go:build tools"
    echo "package tools"
    echo "import ("
    for p in "$@"; do echo "  _ \"$p\""; done
    echo ")"
  } >"$work/tools.go"
  (
    cd "$work"
    log "  resolving modules (go mod tidy)"
    go mod tidy >/dev/null 2>"$work/tidy.log" || { cat "$work/tidy.log" >&2; exit 1; }
    mkdir -p "$work/out"
    for p in "$@"; do
      log "  go build $p"
      go build "${GO_BUILD_FLAGS[@]}" -ldflags "$ldflags" -o "$work/out/" "$p"
    done
  )
  mkdir -p "$(dirname "$out")"
  rm -rf "$out.tmp"; mv "$work/out" "$out.tmp"; rm -rf "$out"; mv "$out.tmp" "$out"
  rm -rf "$work"
}

build_kubernetes() {
  if [[ -x "$KUBE_BIN/kube-apiserver" && -x "$KUBE_BIN/kubectl" && -x "$KUBE_BIN/kube-controller-manager" && -x "$KUBE_BIN/kube-scheduler" ]]; then
    log "kubernetes $KUBE_VERSION: cached in $KUBE_BIN"; return
  fi
  log "kubernetes $KUBE_VERSION: building kube-apiserver, kube-controller-manager, kube-scheduler, kubectl (cold: ~15-25 min on 2 cores)"
  local staging_version="v0${KUBE_VERSION#v1}"
  local kmod; kmod="$(go mod download -json "k8s.io/kubernetes@${KUBE_VERSION}" | sed -n 's/.*"GoMod": "\(.*\)".*/\1/p')"
  [[ -f "$kmod" ]] || die "could not download k8s.io/kubernetes@${KUBE_VERSION} from the Go module proxy"
  # Every staging module k8s.io/kubernetes replaces with ./staging/... gets its published release.
  local replaces
  replaces="$(sed -n 's#^[[:space:]]*\(k8s.io/[a-z0-9-]*\) => ./staging/.*#\1#p' "$kmod" | sort -u |
    while read -r m; do echo "  $m => $m ${staging_version}"; done)"
  [[ -n "$replaces" ]] || die "no staging replaces found in $kmod"
  local gomod="module vigil.local/kubebin

go 1.25

require k8s.io/kubernetes ${KUBE_VERSION}

replace (
${replaces}
)"
  local minor; minor="$(echo "$KUBE_VERSION" | cut -d. -f2)"
  local ld="-s -w"
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ld+=" -X ${pkg}.gitVersion=${KUBE_VERSION} -X ${pkg}.gitMajor=1 -X ${pkg}.gitMinor=${minor}"
    ld+=" -X ${pkg}.gitTreeState=clean -X ${pkg}.buildDate=1970-01-01T00:00:00Z"
  done
  build_in_wrapper "$KUBE_BIN" "$gomod" "$ld" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl
  "$KUBE_BIN/kubectl" version --client >&2
}

build_etcd() {
  if [[ -x "$ETCD_BIN/etcd" ]]; then log "etcd $ETCD_VERSION: cached in $ETCD_BIN"; return; fi
  log "etcd $ETCD_VERSION: building (cold: ~2-4 min)"
  build_in_wrapper "$ETCD_BIN" "module vigil.local/etcdbin

go 1.25

require go.etcd.io/etcd/server/v3 ${ETCD_VERSION}" "-s -w" go.etcd.io/etcd/server/v3
  for n in server v3; do [[ -x "$ETCD_BIN/$n" ]] && mv "$ETCD_BIN/$n" "$ETCD_BIN/etcd"; done
  [[ -x "$ETCD_BIN/etcd" ]] || { ls "$ETCD_BIN" >&2; die "etcd binary not produced"; }
  "$ETCD_BIN/etcd" --version >&2
}

# kwok does nothing without stages: take the "fast" node/pod stages and the lease heartbeat that
# kwokctl uses by default from the kwok module itself.
kwok_stages() {
  local dir; dir="$(go mod download -json "sigs.k8s.io/kwok@${KWOK_VERSION}" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')"
  [[ -d "$dir/kustomize/stage" ]] || die "kwok stages not found in the module cache ($dir)"
  local st="$dir/kustomize/stage"
  for f in "$st"/node/fast/node-initialize.yaml "$st"/node/heartbeat-with-lease/*.yaml "$st"/pod/fast/*.yaml; do
    [[ -f "$f" ]] || continue
    echo "---"; cat "$f"
  done >"$KWOK_BIN/stages.yaml.tmp"
  mv "$KWOK_BIN/stages.yaml.tmp" "$KWOK_BIN/stages.yaml"
}

build_kwok() {
  if [[ -x "$KWOK_BIN/kwok" && -f "$KWOK_BIN/stages.yaml" ]]; then log "kwok $KWOK_VERSION: cached in $KWOK_BIN"; return; fi
  if [[ -x "$KWOK_BIN/kwok" ]]; then kwok_stages; return; fi
  log "kwok $KWOK_VERSION: building (cold: ~3-5 min)"
  build_in_wrapper "$KWOK_BIN" "module vigil.local/kwokbin

go 1.25

require sigs.k8s.io/kwok ${KWOK_VERSION}" "-s -w" sigs.k8s.io/kwok/cmd/kwok
  kwok_stages
}

build_helm() {
  if [[ -x "$HELM_BIN/helm" ]]; then log "helm $HELM_VERSION: cached in $HELM_BIN"; return; fi
  log "helm $HELM_VERSION: building (cold: ~2-4 min)"
  build_in_wrapper "$HELM_BIN" "module vigil.local/helmbin

go 1.25

require helm.sh/helm/v3 ${HELM_VERSION}" "-s -w -X helm.sh/helm/v3/internal/version.version=${HELM_VERSION}" helm.sh/helm/v3/cmd/helm
}

# Fabric8 kube-api-test (offline mode) looks for binaries in ~/.kubeapitest/k8s/<version>-linux-amd64/.
link_kubeapitest() {
  local dir="$HOME/.kubeapitest/k8s/${KUBE_VERSION#v}-linux-amd64"
  mkdir -p "$dir"
  ln -sf "$KUBE_BIN/kube-apiserver" "$dir/kube-apiserver"
  ln -sf "$KUBE_BIN/kubectl" "$dir/kubectl"
  ln -sf "$ETCD_BIN/etcd" "$dir/etcd"
}

components=("$@")
[[ ${#components[@]} -gt 0 ]] || components=(etcd kubernetes kwok helm)
for c in "${components[@]}"; do
  case "$c" in
    kubernetes) build_kubernetes ;;
    etcd) build_etcd ;;
    kwok) build_kwok ;;
    helm) build_helm ;;
    *) die "unknown component '$c' (kubernetes, etcd, kwok, helm)" ;;
  esac
done
if [[ -x "$KUBE_BIN/kube-apiserver" && -x "$ETCD_BIN/etcd" ]]; then link_kubeapitest; fi
log "binaries ready under $BIN_CACHE"
