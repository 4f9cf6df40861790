# Thin wrappers over the npm scripts, so CI and people run the same commands.
SHELL := /bin/bash
.PHONY: install build lint typecheck test demo fixtures bench synth package deploy-check lock clean

# Lambda package: `make package ARCH=arm64|x64 OUT=DIR` (see infra/lambda-package/README.md).
ARCH ?= arm64
OUT ?= infra/lambda-package
# The x64 package the Lambda harness tests (test/lambda/) run; built here, outside the tests' timeouts.
HARNESS_PACKAGE := .tmp/lambda-x64

# Exactly the committed lock. It holds every platform's optional binaries (@duckdb/node-bindings-*,
# @biomejs/cli-*): after changing dependencies, regenerate it with `make lock`.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

# Re-resolves package-lock.json for every platform and proves `npm ci` accepts it on each (needs the registry).
lock:
	bash scripts/update-lock.sh

build: install
	npm run build

lint: install
	npm run lint

typecheck: install
	npm run typecheck

# The HTML digest is checked in headless Chromium (Debian's package, installed here when missing so the
# install never runs inside a test's timeout).
test: build
	npm run lint
	npm run typecheck
	bash scripts/ensure-chromium.sh >/dev/null
	bash scripts/package-lambda.sh --arch x64 --out $(HARNESS_PACKAGE)
	npm test

demo: build
	bash scripts/demo.sh

fixtures: build
	node bin/bedrock-cost.js fixtures generate --preset committed --out fixtures/cur

# Peak RSS comes from GNU time (Debian package `time`).
bench: build
	@test -x /usr/bin/time || (apt-get update -qq && apt-get install -y -qq time)
	node bench/ingest-bench.mjs

synth: install
	bash scripts/synth.sh

package: build
	bash scripts/package-lambda.sh --arch $(ARCH) --out $(OUT)

# Offline: package, cdk synth with that package as the asset, then check the template deploys exactly it.
deploy-check: build
	ARCH=$(ARCH) OUT=$(OUT) bash scripts/deploy-check.sh

clean:
	rm -rf dist .bedrock-cost out test-output bench/data bench/results
