#!/usr/bin/env bash
# Assembles the Lambda code package (linux-arm64, Node.js 22) that the CDK stack deploys:
#   <out>/dist/…            compiled handlers and the code they import (npm run build)
#   <out>/sql/ catalog/     read at run time (stage-1 SQL, model catalog)
#   <out>/package.json      "type": "module", so Lambda loads the handlers as ES modules
#   <out>/node_modules/     production dependencies only, with DuckDB's linux-arm64 native binding
# Usage: bash scripts/package-lambda.sh [out-dir]   (default infra/lambda-package; its README.md is kept)
# Needs the npm registry (or a mirror configured in .npmrc); no Docker: DuckDB ships prebuilt bindings.
set -euo pipefail
cd "$(dirname "$0")/.."

out="${1:-infra/lambda-package}"
lambda_limit_mb=250 # Lambda's limit for an unzipped .zip package

for handler in cur-delivery weekly-digest quarterly-review; do
  if [ ! -f "dist/handlers/$handler.js" ]; then
    echo "package-lambda: dist/handlers/$handler.js is missing: run npm run build first" >&2
    exit 1
  fi
done

mkdir -p "$out"
# Start clean, but keep the directory's README (the CDK asset excludes it).
find "$out" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
cp -R dist sql catalog package.json package-lock.json "$out/"

# --omit=dev: no test or CDK dependencies in the function. --os/--cpu/--libc: pick the optional
# platform packages for Lambda's Amazon Linux 2023 on Graviton instead of this machine's.
# --ignore-scripts: the root package's `prepare` would run tsc, which is a dev dependency.
(
  cd "$out"
  npm ci --omit=dev --os=linux --cpu=arm64 --libc=glibc --ignore-scripts --no-audit --no-fund
)

# A lockfile written on one platform can lack the other platforms' optional packages (npm records only
# what it resolved), in which case npm ci silently installs no DuckDB binding. Fetch the exact version
# @duckdb/node-bindings asks for.
binding=node_modules/@duckdb/node-bindings-linux-arm64
bindings_manifest="$out/node_modules/@duckdb/node-bindings/package.json"
if [ ! -f "$bindings_manifest" ]; then
  echo "package-lambda: @duckdb/node-bindings is not among the installed production dependencies" >&2
  exit 1
fi
if [ ! -d "$out/$binding" ]; then
  version=$(node -p "require(process.argv[1]).optionalDependencies['@duckdb/node-bindings-linux-arm64']" \
    "$(cd "$(dirname "$bindings_manifest")" && pwd)/package.json")
  echo "package-lambda: lockfile has no linux-arm64 DuckDB binding; fetching @duckdb/node-bindings-linux-arm64@$version"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  npm pack "@duckdb/node-bindings-linux-arm64@$version" --pack-destination "$tmp" --silent >/dev/null
  mkdir -p "$out/$binding"
  tar -xzf "$tmp"/*.tgz -C "$out/$binding" --strip-components=1
fi
if ! find "$out/$binding" -name '*.node' | grep -q .; then
  echo "package-lambda: no native .node file under $out/$binding" >&2
  exit 1
fi
# Bindings for other platforms only add size (they can come from a node_modules copied in by hand).
find "$out/node_modules/@duckdb" -mindepth 1 -maxdepth 1 -name 'node-bindings-*' ! -name 'node-bindings-linux-arm64' \
  -exec rm -rf {} +

size_mb=$(du -sm --exclude=README.md "$out" | cut -f1)
if [ "$size_mb" -gt "$lambda_limit_mb" ]; then
  echo "package-lambda: package is ${size_mb} MB, over Lambda's ${lambda_limit_mb} MB unzipped limit" >&2
  exit 1
fi
echo "package-lambda: wrote $out (${size_mb} MB unzipped); next: cd infra && npx cdk deploy -c …"
