#!/usr/bin/env bash
# Storage and ingest benchmark: conn.log from the sensor's own writer vs what OpenSearch stores with
# the operator's conn template, and docs/s through the Shipper vs plain _bulk, on one real node.
#   common/bench/storage-bench.sh [records]        (default 1000000)
# Needs the modules built in this checkout (nothing installed into ~/.m2):
#   ./mvnw -B -pl sensor-image,operator,opensearch-node -am package -DskipTests
# (make bench does it). Env: BENCH_DIR (work dir, kept), BENCH_OPENSEARCH_BASE_PORT (default 19700),
# BENCH_JAVA_OPTS (e.g. -Dbench.ladder=false to skip the lever ladder).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
records="${1:-1000000}"
work="${BENCH_DIR:-$(mktemp -d /tmp/vigil-storage-bench.XXXXXX)}"
mkdir -p "$work"
java_home="$("$root/scripts/jdk.sh")"
export JAVA_HOME="$java_home"
java="$java_home/bin/java"

# 1. conn.log through the sensor's ConnLogWriter, then gzip -6 of it.
if [[ ! -f "$work/conn.log" ]] || [[ "$(wc -l <"$work/conn.log")" -ne "$records" ]]; then
  "$java" -cp "$root/sensor-image/target/test-classes:$root/sensor-image/target/classes" \
    dev.vigil.sensor.bench.ConnLogGen "$work/conn.log" "$records"
fi
gzip -6 -c "$work/conn.log" >"$work/conn.log.gz"
gz=$(stat -c %s "$work/conn.log.gz")

# 2. The operator's test class path (templates + common shipper), resolved in the reactor: the
# sibling modules come from their target/ directories, not from ~/.m2.
if [[ ! -f "$work/classpath.txt" ]]; then
  (cd "$root" && ./mvnw -B -q -o -pl operator -am test-compile dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath.txt" -Dspotless.check.skip >&2)
fi
cp="$root/operator/target/test-classes:$root/operator/target/classes:$(cat "$work/classpath.txt")"

# 3. A real OpenSearch node of its own (stopped on exit).
export VIGIL_OPENSEARCH_STATE="$work/opensearch" VIGIL_OPENSEARCH_BASE_PORT="${BENCH_OPENSEARCH_BASE_PORT:-19700}"
trap '"$root/scripts/opensearch-down.sh" >&2 || true' EXIT
url="$("$root/scripts/opensearch-up.sh" | tail -1 | sed 's/^OPENSEARCH_URL=//')"

echo "storage benchmark: $records conn records, OpenSearch $url, work dir $work"
# shellcheck disable=SC2086
"$java" -Xmx4g ${BENCH_JAVA_OPTS:-} -cp "$cp" dev.vigil.operator.bench.StorageBench "$url" "$work/conn.log" "$gz" "$work"
