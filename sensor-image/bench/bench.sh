#!/usr/bin/env bash
# Sensor benchmark: whole-process packets/s of vigil-sensor vs ndpiReader (Debian libndpi-bin) and
# argus (Debian argus-server) on the same generated pcap, each pinned to one core; bypassed vs
# normal per-packet cost; flow state bytes per flow; allocation per packet in steady state.
#   sensor-image/bench/bench.sh [packets]        (default 1000000)
# Needs: ./mvnw -pl sensor-image -am package (jar + test classes); ndpiReader / argus for ratios.
# Each process is timed twice: wall clock (what a person waits) and CPU (user + sys), which stays
# meaningful when other work shares the machine. Ratios are peer time / vigil time (> 1: faster).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
packets="${1:-1000000}"
core="${BENCH_CORE:-0}"
work="${BENCH_DIR:-$(mktemp -d /tmp/vigil-bench.XXXXXX)}"
java_home="$("$root/scripts/jdk.sh")"
cp="$here/target/test-classes:$here/target/classes"
pcap="$work/bench.pcap"
if [[ ! -f "$pcap" ]]; then
  "$java_home/bin/java" -cp "$cp" dev.vigil.sensor.bench.BenchPcap "$pcap" "$packets" >/dev/null
fi
count=$("$java_home/bin/java" -cp "$cp" dev.vigil.sensor.bench.CountPcap "$pcap")
echo "pcap: $pcap ($count packets, $(du -h "$pcap" | cut -f1))"

rate() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.0f", p / s }'; }

# measure <label> <command...>: runs it pinned to $core; sets wall_<label> and cpu_<label>.
measure() {
  local label="$1"; shift
  local t
  t=$( { TIMEFORMAT='%R %U %S'; time taskset -c "$core" "$@" >"$work/$label.out" 2>&1 || true; } 2>&1 )
  read -r w u s <<<"$t"
  printf -v "wall_$label" '%s' "$w"
  printf -v "cpu_$label" '%s' "$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.3f", u + s }')"
}
line() { # <label> <name>
  local w="wall_$1" c="cpu_$1"
  printf '%-24s: %7ss wall %9s packets/s | %7ss cpu %9s packets/s\n' "$2" "${!w}" \
    "$(rate "$count" "${!w}")" "${!c}" "$(rate "$count" "${!c}")"
}
ratio() { # <peer label> <name>
  local pw="wall_$1" pc="cpu_$1"
  awk -v a="${!pw}" -v b="$wall_vigil" -v c="${!pc}" -v d="$cpu_vigil" -v n="$2" \
    'BEGIN { printf "ratio vigil-sensor / %s (packets/s): %.2f wall, %.2f cpu\n", n, a / b, c / d }'
}

cat "$pcap" >/dev/null # warm the page cache
rm -rf "$work/logs-normal" "$work/logs-bypass"
# the first run creates the launcher's class-data archive if it is missing; not measured
"$here/vigil-sensor" --read "$work/bench.pcap" --logs "$work/logs-warm" >/dev/null 2>&1 || true
measure vigil "$here/vigil-sensor" --read "$pcap" --logs "$work/logs-normal"
measure bypass "$here/vigil-sensor" --read "$pcap" --logs "$work/logs-bypass" --bypass-packets 4
line vigil "vigil-sensor"
line bypass "vigil-sensor (bypass 4)"
grep -h 'packets/s' "$work/vigil.out" "$work/bypass.out" | sed 's/^/  in-process: /'
echo "  bypassed: $(grep -o '"bypassed_packets":[0-9]*' "$work/logs-bypass/sensor_stats.log")"
stat() { grep -o "\"$1\":[0-9]*" "$work/logs-normal/sensor_stats.log" | cut -d: -f2; }
awk -v b="$(stat flow_state_bytes)" -v c="$(stat flow_capacity)" -v l="$(stat flow_peak_live)" \
  'BEGIN { printf "flow state: %d bytes = %.1f bytes/flow of capacity (%d), %.1f bytes/live flow at the peak (%d live)\n", b, b / c, c, b / (l > 0 ? l : 1), l }'
echo "  (flow table + per-flow analyzer state; the stream-prefix buffers are a pool of their own)"

if command -v ndpiReader >/dev/null; then
  measure ndpi ndpiReader -i "$pcap" -q
  line ndpi "ndpiReader"
  ratio ndpi ndpiReader
else
  echo "ndpiReader not installed (apt-get install libndpi-bin): no ratio"
fi
if command -v argus >/dev/null; then
  measure argus argus -r "$pcap" -w /dev/null
  line argus "argus"
  ratio argus argus
else
  echo "argus not installed (apt-get install argus-server): no ratio"
fi

if [[ "${BENCH_SKIP_JMH:-}" != 1 ]]; then
  "$here/bench/ja34-bench.sh" | grep -A8 "^JA3+JA4 per ClientHello" || echo "JA3+JA4 benchmark failed"
fi
if [[ "${BENCH_SKIP_MEMORY:-}" != 1 ]]; then
  echo "packet path in memory (no I/O), one round each:"
  "$java_home/bin/java" -Xmx8g -cp "$cp" dev.vigil.sensor.bench.InMemoryBench "$pcap" 1 \
    | sed 's/^/  /'
fi
if [[ "${BENCH_SKIP_LIVE:-}" != 1 && -x "$here/bench/live-bench.sh" ]]; then
  "$here/bench/live-bench.sh" || echo "live benchmark failed (needs root, iproute2, tcpreplay)"
fi
echo "logs and timings in $work"
