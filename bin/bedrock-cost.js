#!/usr/bin/env node
// Runs the compiled CLI (no TypeScript compile at start-up). `npm ci`/`npm install` builds dist/ through `prepare`.

// The AWS SDK warns on every run under Node 20 that future releases will need Node 22. The service supports
// Node 20 and 22 (Lambda runs nodejs22.x), so that one notice is dropped; every other warning still prints.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning, ...rest) => {
  const type = typeof rest[0] === 'string' ? rest[0] : rest[0]?.type;
  const name = warning instanceof Error ? warning.name : type;
  if (name === 'NodeVersionSupportWarning') return;
  emitWarning(warning, ...rest);
};
// Modules that import { emitWarning } from 'node:process' see the patched function only after a sync.
(await import('node:module')).syncBuiltinESMExports();

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
