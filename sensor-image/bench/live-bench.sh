#!/usr/bin/env bash
# Live capture benchmark: tcpreplay --topspeed sends a generated pcap into a veth pair whose far
# end lives in a network namespace made here (sp-bench-<pid>, removed at exit); on the near end
# vigil-sensor (AF_PACKET, 2 fanout workers) and then tcpdump -w /dev/null capture the same replay.
# Prints captured packets, kernel drops and captured packets/s for each.
#   sensor-image/bench/live-bench.sh [packets]     (default 300000; needs root, iproute2,
#                                                   tcpreplay, tcpdump; part of bench.sh)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
packets="${1:-300000}"
work="${BENCH_DIR:-$(mktemp -d /tmp/vigil-live-bench.XXXXXX)}"
java_home="$("$root/scripts/jdk.sh")"
for tool in ip tcpreplay tcpdump; do
  command -v "$tool" >/dev/null || { echo "live bench: $tool not installed, skipped"; exit 0; }
done
[[ $(id -u) == 0 ]] || { echo "live bench: needs root (network namespace, AF_PACKET), skipped"; exit 0; }

ns="sp-bench-$$"
near="spb$$a"
far="spb$$b"
cleanup() {
  ip link del "$near" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
}
trap cleanup EXIT
ip netns add "$ns"
ip link add "$near" type veth peer name "$far" netns "$ns"
sysctl -qw "net.ipv6.conf.$near.disable_ipv6=1" || true
ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$far.disable_ipv6=1" || true
ip link set "$near" mtu 9000 up
ip -n "$ns" link set "$far" mtu 9000 up

pcap="$work/live.pcap"
if [[ ! -f "$pcap" ]]; then
  "$java_home/bin/java" -cp "$here/target/test-classes:$here/target/classes" \
    dev.vigil.sensor.bench.BenchPcap "$pcap" "$packets" >/dev/null
fi
sent=$("$java_home/bin/java" -cp "$here/target/test-classes:$here/target/classes" \
  dev.vigil.sensor.bench.CountPcap "$pcap")
cat "$pcap" >/dev/null

replay() { # prints "<packets sent> <seconds>"
  local out
  out=$(ip netns exec "$ns" tcpreplay -i "$far" --topspeed "$pcap" 2>&1)
  echo "$out" >"$work/tcpreplay.last"
  awk '/Actual:/ { for (i = 1; i <= NF; i++) { if ($i == "packets") p = $(i - 1); if ($i == "seconds") s = $(i - 1) } }
       END { print p, s }' <<<"$out"
}
wait_for() { # <file> <text>
  for _ in $(seq 1 600); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# vigil-sensor: two AF_PACKET workers in one fanout group
rm -rf "$work/live-logs"
"$here/vigil-sensor" --interface "$near" --workers 2 --ring-size-mib 64 \
  --logs "$work/live-logs" >"$work/live-vigil.err" 2>&1 &
vpid=$!
wait_for "$work/live-vigil.err" "MiB ring"
read -r vsent vsec < <(replay)
sleep 1
kill -TERM "$vpid"
wait "$vpid" || true
read -r vcap vdrop < <(sed -n 's/.*: \([0-9]*\) packets, \([0-9]*\) kernel drops.*/\1 \2/p' "$work/live-vigil.err")

# tcpdump on the same veth, same replay
tcpdump -i "$near" -w /dev/null -B 65536 -n >"$work/live-tcpdump.err" 2>&1 &
tpid=$!
wait_for "$work/live-tcpdump.err" "listening on"
read -r tsent tsec < <(replay)
sleep 1
kill -INT "$tpid"
wait "$tpid" || true
tcap=$(sed -n 's/^\([0-9]*\) packets captured.*/\1/p' "$work/live-tcpdump.err")
tdrop=$(sed -n 's/^\([0-9]*\) packets dropped by kernel.*/\1/p' "$work/live-tcpdump.err")

echo "live capture on a veth, tcpreplay --topspeed of $sent packets ($pcap):"
awk -v c="$vcap" -v d="$vdrop" -v n="$vsent" -v s="$vsec" 'BEGIN {
  printf "  vigil-sensor (AF_PACKET, 2 workers): %d of %d packets captured, %d kernel drops, sent in %.3f s: %.0f captured packets/s\n", c, n, d, s, c / s }'
awk -v c="$tcap" -v d="$tdrop" -v n="$tsent" -v s="$tsec" 'BEGIN {
  printf "  tcpdump -w /dev/null             : %d of %d packets captured, %d kernel drops, sent in %.3f s: %.0f captured packets/s\n", c, n, d, s, c / s }'
