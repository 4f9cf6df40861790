import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const CORE = join(ROOT, 'src/core');
const CONFIG = join(ROOT, 'src/config');
/** Config schemas are pure zod: core may import them (for their types), and they are checked too. */
const isSchemaModule = (path: string) => path.startsWith(CONFIG) && /schema\.(ts|js)$/.test(path);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Module specifiers of static imports, re-exports and dynamic imports. */
function importsOf(text: string): string[] {
  const specs = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  specs.push(...[...text.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!));
  specs.push(...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!));
  return specs;
}

/** Pure helpers core may use: schemas and hashing/path arithmetic, none of which does I/O. */
const ALLOWED_PACKAGES = new Set(['zod', 'node:crypto', 'node:path']);

/** Finds what makes a core file impure; `[]` when it is pure. */
function impurities(file: string, text: string): string[] {
  const problems: string[] = [];
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
  for (const spec of importsOf(code)) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(CORE) && !isSchemaModule(target))
        problems.push(`imports ${spec} from outside src/core`);
    } else if (!ALLOWED_PACKAGES.has(spec)) {
      problems.push(`imports ${spec}`);
    }
  }
  if (/process\.env/.test(code)) problems.push('uses process.env');
  if (/Date\.now\s*\(/.test(code)) problems.push('uses Date.now()');
  if (/new Date\(\s*\)/.test(code)) problems.push('reads the wall clock (new Date())');
  if (/Math\.random\s*\(/.test(code)) problems.push('uses Math.random()');
  return problems;
}

describe('src/core stays pure', () => {
  const files = [...sourceFiles(CORE), ...sourceFiles(CONFIG).filter(isSchemaModule)];

  it('has core files to check', () => {
    expect(files.length).toBeGreaterThan(5);
  });

  it.each(files.map((f) => [relative(ROOT, f), f]))(
    '%s has no I/O, SDK, adapter, env or clock use',
    (_name, file) => {
      expect(impurities(file, readFileSync(file, 'utf8'))).toEqual([]);
    },
  );

  it.each([
    ["import { S3Client } from '@aws-sdk/client-s3';", 'imports @aws-sdk/client-s3'],
    ["import { readFile } from 'node:fs/promises';", 'imports node:fs/promises'],
    ["import fs from 'fs';", 'imports fs'],
    ["import { DuckDBInstance } from '@duckdb/node-api';", 'imports @duckdb/node-api'],
    [
      "import { x } from '../../adapters/local-fs/fact-store.js';",
      'imports ../../adapters/local-fs/fact-store.js from outside src/core',
    ],
    ['const region = process.env.AWS_REGION;', 'uses process.env'],
    ['const t = Date.now();', 'uses Date.now()'],
  ])('the check catches %s', (line, expected) => {
    expect(impurities(join(CORE, 'facts/example.ts'), line)).toContain(expected);
  });
});
