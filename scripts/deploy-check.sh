#!/usr/bin/env bash
# What the README's deployment runs, offline (no AWS account, credentials or Docker): build the Lambda
# package, `cdk synth` the stack with that package as its code asset, and check the synthesized template
# deploys exactly that package on the matching architecture.
# Usage: bash scripts/deploy-check.sh [--arch arm64|x64] [--out DIR] [-- extra cdk -c options]
#   (or: make deploy-check ARCH=… OUT=…); needs dist/ (npm run build) and the npm registry for the package.
set -euo pipefail
cd "$(dirname "$0")/.."

arch=arm64
out=infra/lambda-package
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch="${2:?--arch needs arm64 or x64}"; shift 2 ;;
    --out) out="${2:?--out needs a directory}"; shift 2 ;;
    --) shift; break ;;
    *) echo "deploy-check: unknown argument $1" >&2; exit 2 ;;
  esac
done
case "$arch" in
  arm64 | aarch64) cdk_arch=arm64 ;;
  x64 | x86_64 | amd64) cdk_arch=x86_64 ;;
  *) echo "deploy-check: --arch must be arm64 or x64, not \"$arch\"" >&2; exit 2 ;;
esac

bash scripts/package-lambda.sh --arch "$arch" --out "$out"
# The real package, so no allowUnpackagedCode: the stack refuses a package without handlers or for the
# other architecture.
LAMBDA_PACKAGE_DIR="$out" bash scripts/synth.sh -c allowUnpackagedCode=false -c "lambdaArchitecture=$cdk_arch" "$@"
npx --no-install tsx infra/bin/deploy-check.ts infra/cdk.out "${STACK_NAME:-BedrockCost}" "$out" "$cdk_arch"
