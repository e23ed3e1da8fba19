#!/usr/bin/env bash
# JMH micro-benchmark: JA3 + JA4 of one Chrome ClientHello (parse included), production
# (HelloParser + Ja3 + Ja4 into reused buffers; and with the two Strings ssl.log keeps) vs the
# textbook reference (ByteBuffer, boxed lists, String joins, MessageDigest per hash) in the same
# run, with -prof gc: prints ns/op, B/op (gc.alloc.rate.norm) and the reference/production ratio.
#   sensor-image/bench/ja34-bench.sh [forks [warmup iterations [iterations]]]   (default 1 3 5, 1 s each)
# Needs: ./mvnw -pl sensor-image -am test-compile (test classes + target/test-classpath.txt).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
java_home="$("$root/scripts/jdk.sh")"
cpfile="$here/target/test-classpath.txt"
if [[ ! -f "$cpfile" || ! -f "$here/target/test-classes/META-INF/BenchmarkList" ]]; then
  echo "build first: ./mvnw -B -pl sensor-image -am test-compile" >&2
  exit 1
fi
cp="$here/target/test-classes:$here/target/classes:$(cat "$cpfile")"
core="${BENCH_CORE:-0}"
pin=()
if command -v taskset >/dev/null; then pin=(taskset -c "$core"); fi
"${pin[@]}" "$java_home/bin/java" -cp "$cp" dev.vigil.sensor.bench.Ja34Bench "${1:-1}" "${2:-3}" "${3:-5}"
