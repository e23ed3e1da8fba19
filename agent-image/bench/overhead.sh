#!/usr/bin/env bash
# Whole-process overhead benchmark of the host agent (issue 7): an exec storm and a loopback TCP
# connect storm, timed without and with the agent in every round (paired, so a machine whose load
# drifts compares like with like; the order alternates between rounds), printing per-storm slowdown (median and range over the rounds),
# the storm's CPU time ratio, the BPF programs' own run time (kernel bpf_stats), and the agent's
# CPU and peak RSS. Needs root and a built module:
#   ./mvnw -pl agent-image -am package && agent-image/bench/overhead.sh [execs] [connects] [rounds]
# Environment: AGENT_ARGS (extra agent flags, e.g. "--loopback-sockets on" to log the loopback storm
# as well), STORM_CPU / AGENT_CPU (pinning; default storm on CPU 0, agent on the last CPU).
# Goal from the issue: < 2 % slowdown, < 100 MiB RSS.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
execs="${1:-10000}"
connects="${2:-10000}"
rounds="${3:-5}"
ncpu="$(nproc)"
storm_cpu="${STORM_CPU:-0}"
agent_cpu="${AGENT_CPU:-$((ncpu - 1))}"
work="$(mktemp -d /tmp/vigil-bench.XXXXXX)"
agent_pid=""
stats_before="$(cat /proc/sys/kernel/bpf_stats_enabled)"
stop_agent() {
  if [[ -n "$agent_pid" ]] && kill -0 "$agent_pid" 2>/dev/null; then
    kill "$agent_pid"
    wait "$agent_pid" || true
  fi
  agent_pid=""
}
cleanup() {
  stop_agent
  echo "$stats_before" > /proc/sys/kernel/bpf_stats_enabled
  rm -rf "$work"
}
trap cleanup EXIT
echo 1 > /proc/sys/kernel/bpf_stats_enabled # run_time_ns/run_cnt per program
# Run a snapshot of the build, so a rebuild during the benchmark cannot pull classes away.
mkdir -p "$work/build"
cp -r "$here/../target/classes" "$here/../target/lib" "$work/build/"
export VIGIL_AGENT_BUILD="$work/build"

# perl: fork+exec /bin/true N times, or N connect/accept/close pairs on 127.0.0.1.
# Prints wall seconds and CPU seconds (user+sys of the storm and its children).
cat > "$work/storm.pl" <<'PERL'
use strict; use warnings; use IO::Socket::INET; use Time::HiRes qw(time);
my ($what, $n) = @ARGV;
my $t0 = time; my @c0 = times;
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
my @c1 = times; my $cpu = 0; $cpu += $c1[$_] - $c0[$_] for 0..3;
printf "%.6f %.6f\n", time - $t0, $cpu;
PERL

storm() { taskset -c "$storm_cpu" perl "$work/storm.pl" "$1" "$2"; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Sum of run_time_ns and run_cnt over the agent's programs (names start with handle_).
bpf_ns() {
  bpftool prog show -j | perl -MJSON::PP -e '
    my $a = decode_json(join "", <STDIN>); my ($ns, $n) = (0, 0);
    for (@$a) { next unless ($_->{name} // "") =~ /^handle_/; $ns += $_->{run_time_ns} // 0; $n += $_->{run_cnt} // 0 }
    print "$ns $n\n"'
}

start_agent() {
  rm -rf "$work/events"
  # shellcheck disable=SC2086
  taskset -c "$agent_cpu" "$here/../vigil-agent" --events "$work/events" --node bench ${AGENT_ARGS:-} \
    > "$work/agent.out" 2>&1 &
  agent_pid=$!
  for _ in $(seq 300); do grep -q '"started"' "$work/events/agent.log" 2>/dev/null && break; sleep 0.1; done
  grep -q '"started"' "$work/events/agent.log" || { cat "$work/agent.out"; exit 1; }
  java_pid="$(pgrep -P "$agent_pid" java || echo "$agent_pid")"
  sleep 1 # past JIT warm-up of start
}

out="$work/rounds.txt"
baseline() {
  read -r bew bec <<< "$(storm exec "$execs")"
  read -r bcw bcc <<< "$(storm connect "$connects")"
}
with_agent() {
  start_agent
  read -r k0 n0 <<< "$(bpf_ns)"; t0="$(ticks "$java_pid")"
  read -r wew wec <<< "$(storm exec "$execs")"
  read -r k1 n1 <<< "$(bpf_ns)"
  read -r wcw wcc <<< "$(storm connect "$connects")"
  read -r k2 n2 <<< "$(bpf_ns)"
  sleep 0.3 # the agent drains the last batch
  t1="$(ticks "$java_pid")"
  hwm="$(awk '/VmHWM/ {print $2}' "/proc/$java_pid/status")"
  lines="$(cat "$work/events/process.log" "$work/events/socket.log" 2>/dev/null | wc -l)"
  stop_agent
}
for ((r = 1; r <= rounds; r++)); do
  # alternate which half runs first, so neither gets the systematic benefit of going first
  if ((r % 2)); then baseline; with_agent; else with_agent; baseline; fi
  echo "$bew $bec $bcw $bcc $wew $wec $wcw $wcc $((k1 - k0)) $((n1 - n0)) $((k2 - k1)) $((n2 - n1)) $((t1 - t0)) $hwm $lines" >> "$out"
  echo "round $r/$rounds done" >&2
done

perl -e '
use strict; use warnings;
my ($execs, $connects, $hz, $scpu, $acpu, $args) = @ARGV;
my @r = map { [split] } grep { /\S/ } do { open my $f, "<", "'"$out"'" or die; <$f> };
sub med { my @s = sort { $a <=> $b } @_; my $n = @s; $n % 2 ? $s[$n/2] : ($s[$n/2-1] + $s[$n/2]) / 2 }
sub show { my ($label, @v) = @_; my @s = sort { $a <=> $b } @v;
  printf "  %-28s median %+7.2f %%   range %+7.2f .. %+7.2f %%\n", $label, med(@v), $s[0], $s[-1] }
printf "vigil-agent overhead: %d rounds, storm pinned to CPU %s, agent to CPU %s, agent args: %s\n",
  scalar @r, $scpu, $acpu, $args eq "" ? "(defaults)" : $args;
printf "exec storm, %d fork+exec of /bin/true (%.0f/s without the agent)\n", $execs, $execs / med(map { $_->[0] } @r);
show("wall-clock slowdown", map { ($_->[4] / $_->[0] - 1) * 100 } @r);
show("storm CPU-time increase", map { ($_->[5] / $_->[1] - 1) * 100 } @r);
printf "  BPF programs: %.0f ns per exec (%.2f %% of the storm CPU time)\n",
  med(map { $_->[8] / $execs } @r), med(map { $_->[8] / 1e9 / $_->[1] * 100 } @r);
printf "connect storm, %d loopback connect+accept+close (%.0f/s without the agent)\n", $connects, $connects / med(map { $_->[2] } @r);
show("wall-clock slowdown", map { ($_->[6] / $_->[2] - 1) * 100 } @r);
show("storm CPU-time increase", map { ($_->[7] / $_->[3] - 1) * 100 } @r);
printf "  BPF programs: %.0f ns per connection (%.2f %% of the storm CPU time)\n",
  med(map { $_->[10] / $connects } @r), med(map { $_->[10] / 1e9 / $_->[3] * 100 } @r);
printf "agent CPU      %.2f s per round over %.1f s of storms (%.1f %% of one core), median\n",
  med(map { $_->[12] / $hz } @r), med(map { $_->[4] + $_->[6] } @r),
  med(map { $_->[12] / $hz / ($_->[4] + $_->[6]) * 100 } @r);
printf "agent peak RSS %.1f MiB (max over rounds)\n", (sort { $b <=> $a } map { $_->[13] } @r)[0] / 1024;
printf "log lines      %d per round (process.log + socket.log), median\n", med(map { $_->[14] } @r);
' "$execs" "$connects" "$(getconf CLK_TCK)" "$storm_cpu" "$agent_cpu" "${AGENT_ARGS:-}"
