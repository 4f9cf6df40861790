#!/usr/bin/env node
// Runs the compiled CLI (no TypeScript compile at start-up). `npm ci` builds dist/ through `prepare`.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);
