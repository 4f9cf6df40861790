#!/usr/bin/env bash
# Regenerates package-lock.json from package.json so that `npm ci` works on every platform a user or the
# Lambda package needs (linux x64/arm64 glibc, macOS arm64/x64, Windows), then proves it.
# Run after changing dependencies in package.json, or to resolve a merge conflict in the lock:
#   make lock            (= bash scripts/update-lock.sh)
# Needs the npm registry (or a mirror that serves every platform's packages: one that answers 404 for,
# say, @duckdb/node-bindings-darwin-arm64 makes npm drop it from the lock without an error, which is how
# the lock once lost them; scripts/check-lock.mjs catches that).
set -euo pipefail
cd "$(dirname "$0")/.."

# --package-lock-only: resolve from the registry's manifests, not from this machine's node_modules, so
# every platform's optional packages are recorded. --ignore-scripts: nothing is installed or built.
npm install --package-lock-only --ignore-scripts --no-audit --no-fund
node scripts/check-lock.mjs package-lock.json

# `npm ci` validates the lock against the tree it would build for the target platform: dry-run it for each.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp package.json package-lock.json "$tmp/"
for platform in linux/x64/glibc linux/arm64/glibc linux/x64/musl darwin/arm64/ darwin/x64/ win32/x64/; do
  IFS=/ read -r os cpu libc <<<"$platform"
  if ! (cd "$tmp" && npm ci --dry-run --ignore-scripts --no-audit --no-fund --os="$os" --cpu="$cpu" \
    ${libc:+--libc="$libc"} >"$tmp/ci.log" 2>&1); then
    echo "update-lock: npm ci rejects the lock for $os-$cpu${libc:+-$libc}:" >&2
    grep -m 20 'npm error' "$tmp/ci.log" >&2 || cat "$tmp/ci.log" >&2
    exit 1
  fi
  echo "update-lock: npm ci accepts the lock for $os-$cpu${libc:+-$libc}"
done
