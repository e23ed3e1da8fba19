#!/usr/bin/env bash
# Builds the operator image (and, when their Dockerfiles exist, the sensor and agent images) with
# Docker. Usage: scripts/build-images.sh [tag]   (default tag: dev). Needs a Docker engine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TAG="${1:-dev}"
command -v docker >/dev/null && docker info >/dev/null 2>&1 ||
  { echo "ERROR: no Docker engine here; images are built where Docker runs (CI with Docker, a workstation)." >&2; exit 1; }
JAVA_HOME="$("$ROOT/scripts/jdk.sh")"; export JAVA_HOME
(cd "$ROOT" && ./mvnw -q -B -pl operator,sensor-image,agent-image -am package -DskipTests)
docker build -f "$ROOT/operator/src/main/docker/Dockerfile.jvm" -t "vigil/operator:$TAG" "$ROOT"
for m in sensor-image agent-image; do
  if [[ -f "$ROOT/$m/Dockerfile" ]]; then
    docker build -f "$ROOT/$m/Dockerfile" -t "vigil/${m%-image}:$TAG" "$ROOT"
  fi
done
echo "built vigil/*:$TAG"
