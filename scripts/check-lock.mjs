#!/usr/bin/env node
// Checks that package-lock.json can serve `npm ci` on every platform: each dependency and optional
// dependency of each locked package (DuckDB's and Biome's per-platform binaries included) has an entry the
// way Node resolves it (nearest node_modules up the tree), and the root's declared dependencies are locked
// at versions package.json accepts by name. A lock written while the registry could not serve some platform
// packages leaves them out silently; `npm ci` on that platform then fails with "Missing: … from lock file".
// Usage: node scripts/check-lock.mjs [package-lock.json]   (exit 1 and a list of what is missing)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where Node would find `name` from the package at `from` ('' is the root), or undefined. */
function resolveIn(packages, from, name) {
  let dir = from;
  for (;;) {
    const candidate = `${dir === '' ? '' : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === '') return undefined;
    const at = dir.lastIndexOf('/node_modules/');
    dir = at === -1 ? '' : dir.slice(0, at);
  }
}

/** The problems in a parsed lockfile, one line each. */
export function lockProblems(lock) {
  const problems = [];
  if (lock.lockfileVersion !== 3 && lock.lockfileVersion !== 2) {
    problems.push(`lockfileVersion ${lock.lockfileVersion}: expected 2 or 3 (npm 7 or later)`);
  }
  const packages = lock.packages ?? {};
  for (const [path, entry] of Object.entries(packages)) {
    if (entry.link) continue;
    const wanted = { ...entry.dependencies, ...entry.optionalDependencies };
    if (path === '') Object.assign(wanted, entry.devDependencies);
    for (const name of Object.keys(wanted)) {
      if (!resolveIn(packages, path, name)) {
        const optional = entry.optionalDependencies && name in entry.optionalDependencies;
        problems.push(
          `${path || '(root)'} needs ${name}@${wanted[name]}${optional ? ' (optional, platform-specific)' : ''}: no entry in the lock`,
        );
      }
    }
  }
  return problems;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const file = resolve(process.argv[2] ?? 'package-lock.json');
  const problems = lockProblems(JSON.parse(readFileSync(file, 'utf8')));
  if (problems.length > 0) {
    console.error(`${file}: ${problems.length} locked dependencies are missing:`);
    for (const p of problems) console.error(`  ${p}`);
    console.error(
      'Regenerate the lock with `make lock` (scripts/update-lock.sh) with the npm registry reachable.',
    );
    process.exit(1);
  }
  console.log(`${file}: every dependency of every platform is locked`);
}
