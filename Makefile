# Thin wrappers over the npm scripts, so CI and people run the same commands.
SHELL := /bin/bash
.PHONY: install build lint typecheck test demo fixtures bench synth clean

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

install: node_modules/.installed

build: install
	npm run build

lint: install
	npm run lint

typecheck: install
	npm run typecheck

test: build
	npm run lint
	npm run typecheck
	npm test

demo: build
	bash scripts/demo.sh

fixtures: build
	node bin/bedrock-cost.js fixtures generate --preset committed --out fixtures/cur

bench: build
	node bench/ingest-bench.js

synth: install
	bash scripts/synth.sh

clean:
	rm -rf dist .bedrock-cost out test-output bench/data bench/results
