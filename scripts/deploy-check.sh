#!/usr/bin/env bash
# What the README's deployment runs, offline (no AWS account, credentials or Docker): build the Lambda
# package, `cdk synth` the stack with that package as its code asset, and check the synthesized template
# deploys exactly that package on the matching architecture.
# Usage: make deploy-check [ARCH=arm64|x64] [OUT=DIR]   (or: ARCH=… OUT=… bash scripts/deploy-check.sh [-c key=value …])
#   Extra arguments go to cdk synth. Needs dist/ (npm run build) and the npm registry for the package.
set -euo pipefail
cd "$(dirname "$0")/.."

arch="${ARCH:-arm64}"
out="${OUT:-infra/lambda-package}"
case "$arch" in
  arm64 | aarch64) cdk_arch=arm64 ;;
  x64 | x86_64 | amd64) cdk_arch=x86_64 ;;
  *) echo "deploy-check: ARCH must be arm64 or x64, not \"$arch\"" >&2; exit 2 ;;
esac

bash scripts/package-lambda.sh --arch "$arch" --out "$out"
# The real package, so no allowUnpackagedCode: the stack refuses a package without handlers or for the
# other architecture.
LAMBDA_PACKAGE_DIR="$out" bash scripts/synth.sh -c allowUnpackagedCode=false -c "lambdaArchitecture=$cdk_arch" "$@"
npx --no-install tsx infra/bin/deploy-check.ts infra/cdk.out "${STACK_NAME:-BedrockCost}" "$out" "$cdk_arch"
