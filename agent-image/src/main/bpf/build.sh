#!/usr/bin/env bash
# Builds the agent's BPF object. Called by Maven (antrun, generate-resources):
#   build.sh <source-dir> <output-dir>
# vmlinux.h is generated from the build machine's kernel BTF and never committed; the object is
# CO-RE, so it relocates onto the running kernel at load time.
set -euo pipefail
src="${1:?source dir}"
out="${2:?output dir}"
need() { command -v "$1" >/dev/null 2>&1 || { echo "ERROR: $1 not found; install Debian packages: $2" >&2; exit 1; }; }
need clang clang
need bpftool bpftool
[[ -r /usr/include/bpf/bpf_helpers.h ]] || { echo "ERROR: /usr/include/bpf/bpf_helpers.h missing; install libbpf-dev" >&2; exit 1; }
btf="${VIGIL_VMLINUX_BTF:-/sys/kernel/btf/vmlinux}"
[[ -r "$btf" ]] || { echo "ERROR: kernel BTF $btf not readable (CONFIG_DEBUG_INFO_BTF)" >&2; exit 1; }
gen="$out/../bpf-gen"
mkdir -p "$out" "$gen"
if [[ ! -s "$gen/vmlinux.h" || "$btf" -nt "$gen/vmlinux.h" ]]; then
  bpftool btf dump file "$btf" format c > "$gen/vmlinux.h.tmp"
  mv "$gen/vmlinux.h.tmp" "$gen/vmlinux.h"
fi
arch="$(uname -m)"
case "$arch" in
  x86_64) target_arch=x86 ;;
  aarch64) target_arch=arm64 ;;
  *) target_arch="$arch" ;;
esac
for c in "$src"/*.bpf.c; do
  name="$(basename "$c" .bpf.c)"
  obj="$out/$name.bpf.o"
  if [[ -s "$obj" && "$obj" -nt "$c" && "$obj" -nt "$gen/vmlinux.h" && "$obj" -nt "$0" ]]; then
    continue
  fi
  clang -g -O2 -Wall -Werror -target bpf "-D__TARGET_ARCH_${target_arch}" \
    -I "$gen" -I /usr/include -I "/usr/include/$(gcc -print-multiarch 2>/dev/null || echo "$arch-linux-gnu")" \
    -c "$c" -o "$obj.tmp"
  mv "$obj.tmp" "$obj"
  echo "built $obj"
done
