// Rewrites catalog/default-config.json from the config schema's defaults (run `npm run build` first), in the
// layout Biome checks. test/unit/config-load.test.ts fails while the file and the schema disagree.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { DEFAULT_CONFIG_PATH } from '../dist/config/load.js';
import { DEFAULT_CONFIG } from '../dist/config/schema.js';

writeFileSync(DEFAULT_CONFIG_PATH, `${JSON.stringify(DEFAULT_CONFIG, null, 2)}\n`);
execFileSync('npx', ['biome', 'format', '--write', DEFAULT_CONFIG_PATH], { stdio: 'inherit' });
console.log(`wrote ${DEFAULT_CONFIG_PATH}`);
