# Vigil — the user's entry point. Every target selects JDK 25 itself (scripts/jdk.sh).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

ROOT        := $(CURDIR)
JAVA_HOME   := $(shell $(ROOT)/scripts/jdk.sh 2>/dev/null)
export JAVA_HOME
MVN         := $(ROOT)/mvnw -B
CLUSTER     := $(ROOT)/e2e-tests/cluster
STATE       := $(or $(VIGIL_CLUSTER_STATE),$(or $(XDG_CACHE_HOME),$(HOME)/.cache)/vigil/cluster)

.PHONY: help
help: ## List targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

.PHONY: jdk
jdk:
	@$(ROOT)/scripts/jdk.sh >/dev/null

.PHONY: deps
deps: ## Install the Debian packages the build and tests use (.ci/packages.txt)
	@$(ROOT)/scripts/install-packages.sh

.PHONY: binaries
binaries: ## Build kube-apiserver, controller-manager, scheduler, kubectl, etcd, kwok, helm from Go modules (cached)
	@$(CLUSTER)/build-binaries.sh

.PHONY: build
build: jdk ## Compile and package every module (no tests)
	$(MVN) install -DskipTests

.PHONY: test
test: deps binaries jdk ## Every test: unit tests (Surefire), bounded fuzzing of the sensor's parsers (Jazzer, ~3 min) and ITs against a real API server, OpenSearch, libpcap, eBPF (Failsafe)
	$(MVN) install -Dvigil.fuzz

.PHONY: fuzz
fuzz: jdk ## Only the sensor's Jazzer fuzz targets, each fuzzed for its bounded time (crashes land in src/test/resources/**/*Inputs/)
	$(MVN) -pl sensor-image -am test -Dvigil.fuzz -Dtest='*FuzzTest' -Dsurefire.failIfNoSpecifiedTests=false

.PHONY: format
format: jdk ## Apply google-java-format to every module
	$(MVN) spotless:apply

.PHONY: crds
crds: jdk ## Regenerate crds/ (and docs/api.md) from the Java model
	$(MVN) -pl api -am install -DskipTests -Dspotless.check.skip
	$(MVN) -pl api test -Dvigil.updateCrds=true

.PHONY: crd-baseline
crd-baseline: jdk ## Accept the current CRD schemas as the compatibility baseline (a release, or a deliberate break)
	$(MVN) -pl api test -Dvigil.updateCrdBaseline=true

.PHONY: bench
bench: deps jdk ## Benchmarks that print ratios against peers measured in the same run (sensor vs ndpiReader and argus; live capture vs tcpdump; OpenSearch store vs gzip, Shipper vs raw _bulk)
	$(MVN) -pl sensor-image,operator,opensearch-node -am package -DskipTests
	$(ROOT)/sensor-image/bench/bench.sh
	$(ROOT)/common/bench/storage-bench.sh

.PHONY: cluster-up
cluster-up: ## Start etcd + kube-apiserver + controller-manager on 127.0.0.1; last line KUBECONFIG=<path>
	@$(CLUSTER)/cluster-up.sh $(if $(NODES),--nodes $(NODES),)

.PHONY: cluster-up-nodes
cluster-up-nodes: ## As cluster-up, plus kube-scheduler and kwok with simulated nodes (NODES=3)
	@$(CLUSTER)/cluster-up.sh --nodes $(or $(NODES),3)

.PHONY: cluster-down
cluster-down: ## Stop exactly the processes cluster-up started
	@$(CLUSTER)/cluster-down.sh

.PHONY: opensearch-up
opensearch-up: jdk ## Start one real OpenSearch 3.x node on 127.0.0.1; last line OPENSEARCH_URL=<url>
	@$(ROOT)/scripts/opensearch-up.sh

.PHONY: opensearch-down
opensearch-down: ## Stop the OpenSearch node
	@$(ROOT)/scripts/opensearch-down.sh

.PHONY: demo
demo: deps binaries jdk ## The fabric end to end: control plane, OpenSearch, operator, example site, sensor and agent alerts, routed notifications
	@$(ROOT)/scripts/demo.sh

.PHONY: operator-up
operator-up: jdk ## Run the operator as a process against $$KUBECONFIG (default: the local cluster)
	@$(ROOT)/scripts/operator-up.sh

.PHONY: operator-down
operator-down: ## Stop the operator process
	@$(ROOT)/scripts/operator-down.sh
