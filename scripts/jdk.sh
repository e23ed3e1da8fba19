#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK 25+ (Temurin under /usr/lib/jvm preferred), or fails saying what
# is missing. Source-free: use as  JAVA_HOME="$(scripts/jdk.sh)".
set -euo pipefail
candidates=()
[[ -n "${VIGIL_JAVA_HOME:-}" ]] && candidates+=("$VIGIL_JAVA_HOME")
[[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
for d in /usr/lib/jvm/temurin-*-jdk* /usr/lib/jvm/*; do [[ -d "$d" ]] && candidates+=("$d"); done
best=""; best_major=0
for d in "${candidates[@]}"; do
  [[ -x "$d/bin/javac" ]] || continue
  v="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
  major="${v%%.*}"
  [[ "$major" =~ ^[0-9]+$ ]] || continue
  if (( major >= 25 && major > best_major )); then best="$d"; best_major="$major"; fi
done
if [[ -z "$best" ]]; then
  echo "ERROR: Vigil needs a JDK 25 or newer (Quarkus, FFM for libpcap/libbpf, OpenSearch 3.x)." >&2
  echo "       None found in \$VIGIL_JAVA_HOME, \$JAVA_HOME or /usr/lib/jvm." >&2
  echo "       On Debian: install a Temurin 25 JDK under /usr/lib/jvm, or set VIGIL_JAVA_HOME." >&2
  exit 1
fi
echo "$best"
