#!/usr/bin/env bash
# Assembles the Lambda code package (Node.js 22, arm64 or x86_64) that the CDK stack deploys:
#   <out>/dist/…            compiled handlers and the code they import (npm run build)
#   <out>/sql/ catalog/     read at run time (stage-1 SQL, model catalog)
#   <out>/package.json      "type": "module", so Lambda loads the handlers as ES modules
#   <out>/node_modules/     production dependencies only, with exactly ARCH's DuckDB native binding
# Usage: bash scripts/package-lambda.sh [--arch arm64|x64] [--out DIR]    (or: make package ARCH=… OUT=…)
#   defaults: --arch arm64 (Graviton), --out infra/lambda-package (its README.md is kept)
# Needs dist/ (npm run build), the dev dependencies (tsx runs the check) and the npm registry or a mirror
# that serves every platform's packages; no Docker: DuckDB ships prebuilt bindings per platform.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=arm64
out=infra/lambda-package
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="${2:?--arch needs arm64 or x64}"; shift 2 ;;
    --arch=*) arch="${1#--arch=}"; shift ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --out=*) out="${1#--out=}"; shift ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "package-lambda: unknown option $1 (see --help)" >&2; exit 2 ;;
    *) out="$1"; shift ;;
  esac
done
case "$arch" in
  arm64 | aarch64) cpu=arm64 ;;
  x64 | x86_64 | amd64) cpu=x64 ;;
  *) echo "package-lambda: --arch must be arm64 or x64, not \"$arch\"" >&2; exit 2 ;;
esac

for handler in cur-delivery weekly-digest quarterly-review; do
  if [ ! -f "dist/handlers/$handler.js" ]; then
    echo "package-lambda: dist/handlers/$handler.js is missing: run npm run build first (make package does)" >&2
    exit 1
  fi
done
case "$(cd "$(dirname "$out")" 2>/dev/null && pwd)/$(basename "$out")" in
  "$PWD" | "$PWD/dist" | "$PWD/src" | / ) echo "package-lambda: refusing to empty $out" >&2; exit 2 ;;
esac

mkdir -p "$out"
# Start clean, but keep the directory's README (the CDK asset excludes it).
find "$out" -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
cp -R dist sql catalog package.json package-lock.json "$out/"
# Source maps stay (stack traces name src/ lines); nothing else of dist is build-only.

# npm ci installs exactly the committed lock (make lock keeps every platform's binaries in it).
# --omit=dev: no test, lint or CDK dependencies in the function. --os/--cpu/--libc: the optional platform
# packages for Lambda's Amazon Linux 2023 (glibc) on the chosen architecture, not this machine's.
# --ignore-scripts: the root package's `prepare` would run tsc, a dev dependency.
(
  cd "$out"
  npm ci --omit=dev --os=linux --cpu="$cpu" --libc=glibc --ignore-scripts --no-audit --no-fund --loglevel=error
)
# npm leaves its own bookkeeping behind; Lambda needs neither it nor the bin links of CLIs.
rm -rf "$out/node_modules/.package-lock.json" "$out/node_modules/.bin"

# The architecture, size, dev-dependency and test-file checks live with the CDK code that relies on them.
npx --no-install tsx infra/bin/check-package.ts "$out" "$cpu"
