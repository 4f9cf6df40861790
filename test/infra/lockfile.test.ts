import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Lockfile, lockProblems } from '../../scripts/check-lock.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
type Lock = Lockfile & { packages: Record<string, Record<string, unknown>> };
const check = lockProblems;
const versionOf = (lock: Lock, path: string) => String(lock.packages[path]?.version);
const readLock = (): Lock => JSON.parse(readFileSync(resolve(ROOT, 'package-lock.json'), 'utf8')) as Lock;

describe('package-lock.json', () => {
  it('locks every platform binary npm ci needs on Linux, macOS and Windows', () => {
    const lock = readLock();
    expect(check(lock)).toEqual([]);
    for (const platform of ['linux-arm64', 'linux-x64', 'darwin-arm64', 'darwin-x64', 'win32-x64']) {
      expect(lock.packages[`node_modules/@duckdb/node-bindings-${platform}`]).toBeDefined();
      expect(lock.packages[`node_modules/@biomejs/cli-${platform}`]).toBeDefined();
    }
  });

  it('names a platform package that a lock written against a partial registry lacks', () => {
    const lock = readLock();
    const duckdb = versionOf(lock, 'node_modules/@duckdb/node-bindings');
    const biome = versionOf(lock, 'node_modules/@biomejs/biome');
    delete lock.packages['node_modules/@duckdb/node-bindings-linux-arm64'];
    delete lock.packages['node_modules/@biomejs/cli-darwin-arm64'];
    expect(check(lock)).toEqual([
      `node_modules/@biomejs/biome needs @biomejs/cli-darwin-arm64@${biome} (optional, platform-specific): no entry in the lock`,
      `node_modules/@duckdb/node-bindings needs @duckdb/node-bindings-linux-arm64@${duckdb} (optional, platform-specific): no entry in the lock`,
    ]);
  });

  it('resolves a nested dependency the way Node does: nearest node_modules first, then up the tree', () => {
    const lock: Lock = {
      lockfileVersion: 3,
      packages: {
        '': { dependencies: { a: '1' } },
        'node_modules/a': { dependencies: { b: '1', c: '1' } },
        'node_modules/a/node_modules/b': { dependencies: { c: '2', d: '1' } },
        'node_modules/c': {},
      },
    };
    expect(check(lock)).toEqual(['node_modules/a/node_modules/b needs d@1: no entry in the lock']);
  });
});
