// Checks a Lambda code package built by scripts/package-lambda.sh (see checkPackage) and prints its summary.
// Usage: npx tsx infra/bin/check-package.ts <package-dir> <arm64|x64|x86_64>
import { checkPackage, parseArchitecture } from '../lib/lambda-package.js';

const [dir, arch] = process.argv.slice(2);
if (!dir || !arch) {
  console.error('usage: check-package.ts <package-dir> <arm64|x64|x86_64>');
  process.exit(2);
}
try {
  const report = checkPackage(dir, parseArchitecture(arch, 'architecture'));
  if (report.problems.length > 0) {
    console.error(`package-lambda: ${dir} is not a valid ${arch} Lambda package:`);
    for (const problem of report.problems) console.error(`  ${problem}`);
    process.exit(1);
  }
  const mb = (report.sizeBytes / 1_000_000).toFixed(1);
  console.log(
    `package-lambda: ${dir}: ${report.architecture}, ${report.files} files, ${mb} MB unzipped ` +
      `(limit 262 MB), DuckDB binding ${report.binary}`,
  );
} catch (error) {
  console.error(`package-lambda: ${(error as Error).message}`);
  process.exit(1);
}
