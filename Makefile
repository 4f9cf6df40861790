# Thin wrappers over the npm scripts, so CI and people run the same commands.
SHELL := /bin/bash
.PHONY: install build lint typecheck test demo fixtures bench synth clean

# `npm install` honours package-lock.json. `npm ci` is not used: the registry reachable here serves only this
# platform's optional binaries (@duckdb/node-bindings-*, @biomejs/cli-*), so npm records only those in the lock
# and then `npm ci` rejects the lock as incomplete.
node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund
	@touch $@

install: node_modules/.installed

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

clean:
	rm -rf dist .bedrock-cost out test-output bench/data bench/results
