// Checks that a synthesized stack deploys exactly the given Lambda package (see checkSynthesized).
// Usage: npx tsx infra/bin/deploy-check.ts <cdk.out> <stack-name> <package-dir> <arm64|x64|x86_64>
import { checkSynthesized } from '../lib/deploy-check.js';
import { packageFiles, parseArchitecture } from '../lib/lambda-package.js';

const [cdkOut, stackName, packageDir, arch] = process.argv.slice(2);
if (!cdkOut || !stackName || !packageDir || !arch) {
  console.error('usage: deploy-check.ts <cdk.out> <stack-name> <package-dir> <arm64|x64|x86_64>');
  process.exit(2);
}
const architecture = parseArchitecture(arch, 'architecture');
const result = checkSynthesized(cdkOut, stackName, packageDir, architecture);
if (result.problems.length > 0) {
  console.error(`deploy-check: ${stackName} in ${cdkOut} does not deploy ${packageDir} as ${architecture}:`);
  for (const problem of result.problems) console.error(`  ${problem}`);
  process.exit(1);
}
console.log(
  `deploy-check: ${result.functions.length} functions (${result.functions.join(', ')}) run ${architecture} ` +
    `nodejs22.x from ${result.assetDir}, identical to ${packageDir} (${packageFiles(packageDir).size} files)`,
);
