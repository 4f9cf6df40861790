#!/usr/bin/env bash
# Offline `cdk synth` of the bedrock-cost stack into infra/cdk.out: no AWS credentials, network or Docker.
# Dummy context stands in for the deployment's CUR export; extra arguments go to cdk after the dummies
# (the last -c for a key wins), e.g. `bash scripts/synth.sh -c curBucketName=my-cur-bucket -c engine=athena`.
set -euo pipefail
cd "$(dirname "$0")/.."

export CDK_DISABLE_VERSION_CHECK=1
export CDK_DISABLE_CLI_TELEMETRY=1
# Without credentials the CLI would probe the EC2 instance metadata service for a default account.
export AWS_EC2_METADATA_DISABLED=true

out=infra/cdk.out
template="$out/${STACK_NAME:-BedrockCost}.template.json"
package_dir="${LAMBDA_PACKAGE_DIR:-infra/lambda-package}"
mkdir -p "$package_dir"
# A stale template must not pass for a fresh one when the app fails.
rm -rf "$out"

npx --no-install cdk synth \
  --app "npx --no-install tsx infra/bin/app.ts" \
  --output "$out" \
  --no-notices \
  --no-version-reporting \
  --no-lookups \
  --quiet \
  -c curBucketName=example-cur-bucket \
  -c curPrefix=cur \
  -c curExportName=bedrock-cost-cur2 \
  -c "lambdaPackageDir=$package_dir" \
  -c allowUnpackagedCode=true \
  "$@" 2> >(grep -v '^npm warn' >&2)

test -s "$template" || { echo "synth: no template at $template" >&2; exit 1; }
count=$(node -e 'console.log(Object.keys(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).Resources).length)' "$template")
echo "synth: wrote $template ($count resources)"
