#!/usr/bin/env bash
# Whole-process overhead benchmark of the host agent (issue 7): an exec storm and a loopback
# TCP connect storm, timed without and then with the agent running; prints the slowdown ratios
# and the agent's CPU time and peak RSS. Needs root and a built module:
#   ./mvnw -pl agent-image -am package && agent-image/bench/overhead.sh [execs] [connects] [rounds]
# Goal from the issue: < 2 % slowdown, < 100 MiB RSS. Numbers on a shared or small machine are
# noisy; rounds alternate and the median is used.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
execs="${1:-20000}"
connects="${2:-20000}"
rounds="${3:-3}"
work="$(mktemp -d /tmp/vigil-bench.XXXXXX)"
agent_pid=""
cleanup() {
  if [[ -n "$agent_pid" ]] && kill -0 "$agent_pid" 2>/dev/null; then kill "$agent_pid"; wait "$agent_pid" || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# perl: fork+exec /bin/true N times; then N connect/accept/close pairs on 127.0.0.1.
cat > "$work/storm.pl" <<'PERL'
use strict; use warnings; use IO::Socket::INET; use Time::HiRes qw(time);
my ($what, $n) = @ARGV;
my $t0 = time;
if ($what eq 'exec') {
  for (1..$n) { my $p = fork // die; if (!$p) { exec '/bin/true' or die } waitpid($p, 0) }
} else {
  my $l = IO::Socket::INET->new(LocalAddr => '127.0.0.1', LocalPort => 0, Listen => 1024, ReuseAddr => 1) or die;
  my $port = $l->sockport;
  for (1..$n) {
    my $c = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port) or die "$!";
    my $a = $l->accept; close $c; close $a;
  }
}
printf "%.6f\n", time - $t0;
PERL

run() { perl "$work/storm.pl" "$1" "$2"; }
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

declare -a base_exec=() base_conn=() with_exec=() with_conn=()
for ((r = 0; r < rounds; r++)); do
  base_exec+=("$(run exec "$execs")"); base_conn+=("$(run connect "$connects")")
done

"$here/../vigil-agent" --events "$work/events" --node bench > "$work/agent.out" 2>&1 &
agent_pid=$!
for _ in $(seq 100); do grep -q '"started"' "$work/events/agent.log" 2>/dev/null && break; sleep 0.1; done
grep -q '"started"' "$work/events/agent.log" || { cat "$work/agent.out"; exit 1; }
java_pid="$(pgrep -P "$agent_pid" java || echo "$agent_pid")"
t_start="$(ticks "$java_pid")"; w_start="$(date +%s.%N)"
for ((r = 0; r < rounds; r++)); do
  with_exec+=("$(run exec "$execs")"); with_conn+=("$(run connect "$connects")")
done
sleep 1 # let the agent drain its ring buffer
t_end="$(ticks "$java_pid")"; w_end="$(date +%s.%N)"
hwm_kb="$(awk '/VmHWM/ {print $2}' "/proc/$java_pid/status")"
lines="$(grep -c . "$work/events/process.log" || true)"

be="$(printf '%s\n' "${base_exec[@]}" | median)"; we="$(printf '%s\n' "${with_exec[@]}" | median)"
bc="$(printf '%s\n' "${base_conn[@]}" | median)"; wc="$(printf '%s\n' "${with_conn[@]}" | median)"
hz="$(getconf CLK_TCK)"
awk -v be="$be" -v we="$we" -v bc="$bc" -v wc="$wc" -v n="$execs" -v m="$connects" \
    -v t="$((t_end - t_start))" -v hz="$hz" -v w0="$w_start" -v w1="$w_end" -v hwm="$hwm_kb" \
    -v lines="$lines" 'BEGIN {
  printf "exec storm     %6d execs:    %.3f s without, %.3f s with agent  (%.0f/s)  slowdown %+.2f %%\n", n, be, we, n/be, (we/be - 1) * 100
  printf "connect storm  %6d connects: %.3f s without, %.3f s with agent  (%.0f/s)  slowdown %+.2f %%\n", m, bc, wc, m/bc, (wc/bc - 1) * 100
  printf "agent CPU      %.2f s over %.1f s wall (%.1f %% of one core)\n", t/hz, w1-w0, 100*t/hz/(w1-w0)
  printf "agent peak RSS %.1f MiB\n", hwm/1024
  printf "process.log    %d lines\n", lines
}'
