#!/usr/bin/env bash
# Sensor benchmark: whole-process packets/s of vigil-sensor vs ndpiReader (Debian libndpi-bin)
# on the same generated pcap, both pinned to one core, and bypassed vs normal per-packet cost.
#   sensor-image/bench/bench.sh [packets]        (default 1000000)
# Needs: ./mvnw -pl sensor-image -am package (jar + test classes), ndpiReader for the ratio.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
packets="${1:-1000000}"
core="${BENCH_CORE:-0}"
work="${BENCH_DIR:-$(mktemp -d /tmp/vigil-bench.XXXXXX)}"
java_home="$("$root/scripts/jdk.sh")"
pcap="$work/bench.pcap"
if [[ ! -f "$pcap" ]]; then
  "$java_home/bin/java" -cp "$here/target/test-classes:$here/target/classes" \
    dev.vigil.sensor.bench.BenchPcap "$pcap" "$packets" >/dev/null
fi
count=$("$java_home/bin/java" -cp "$here/target/test-classes:$here/target/classes" \
  dev.vigil.sensor.bench.CountPcap "$pcap")
echo "pcap: $pcap ($count packets, $(du -h "$pcap" | cut -f1))"

now() { date +%s.%N; }
rate() { awk -v p="$1" -v s="$2" 'BEGIN { printf "%.0f", p / s }'; }

run_vigil() { # $1 = label, rest = extra options
  local label="$1"; shift
  local t0 t1
  rm -rf "$work/logs-$label"
  t0=$(now)
  taskset -c "$core" "$here/vigil-sensor" --read "$pcap" --logs "$work/logs-$label" "$@" 2>"$work/vigil-$label.err"
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}

# warm the page cache
cat "$pcap" >/dev/null
vs=$(run_vigil normal)
vb=$(run_vigil bypass --bypass-packets 4)
echo "vigil-sensor           : ${vs}s  $(rate "$count" "$vs") packets/s (whole process, core $core)"
echo "vigil-sensor (bypass 4): ${vb}s  $(rate "$count" "$vb") packets/s"
grep -h 'packets/s' "$work"/vigil-*.err | sed 's/^/  in-process: /'
echo "  bypassed: $(grep -o '"bypassed_packets":[0-9]*' "$work/logs-bypass/sensor_stats.log")"
stat() { grep -o "\"$1\":[0-9]*" "$work/logs-normal/sensor_stats.log" | cut -d: -f2; }
awk -v b="$(stat flow_state_bytes)" -v c="$(stat flow_capacity)" -v l="$(stat flow_peak_live)" \
  'BEGIN { printf "flow state: %d bytes = %.1f bytes/flow of capacity (%d), %.1f bytes/live flow at the peak (%d)\n", b, b / c, c, b / (l > 0 ? l : 1), l }'
echo "  ($(grep -o '"flow_state_bytes_per_flow":[0-9]*' "$work/logs-normal/sensor_stats.log"): flow table + per-flow analyzer state; stream buffers are a pool of their own)"

if command -v ndpiReader >/dev/null; then
  t0=$(now)
  taskset -c "$core" ndpiReader -i "$pcap" -q >"$work/ndpi.out" 2>&1 || true
  t1=$(now)
  nd=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  echo "ndpiReader             : ${nd}s  $(rate "$count" "$nd") packets/s (whole process, core $core)"
  awk -v a="$nd" -v b="$vs" 'BEGIN { printf "ratio vigil-sensor / ndpiReader (packets/s): %.2f\n", a / b }'
else
  echo "ndpiReader not installed (apt-get install libndpi-bin): no ratio"
fi
if command -v argus >/dev/null; then
  t0=$(now)
  taskset -c "$core" argus -r "$pcap" -w /dev/null >/dev/null 2>&1 || true
  t1=$(now)
  ar=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  echo "argus                  : ${ar}s  $(rate "$count" "$ar") packets/s"
fi
echo "logs and timings in $work"
