#!/usr/bin/env node
// Runs the compiled CLI (no TypeScript compile at start-up). `npm install` builds dist/ through `prepare`.

// The AWS SDK warns on every run under Node 20 that its 2027 releases will need Node 22. The service supports
// Node 20 and 22 (Lambda runs nodejs22.x), so the CLI turns that notice off with the SDK's own switch.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { main } = await import('../dist/cli/main.js');
process.exitCode = await main(process.argv);
