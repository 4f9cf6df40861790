import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SRC = join(ROOT, 'src');
const CORE = join(SRC, 'core');
const APP = join(SRC, 'app');
const PORTS = join(APP, 'ports');
const ADAPTERS = join(SRC, 'adapters');
const CONFIG = join(SRC, 'config');
const inside = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);

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
      if (!inside(target, CORE)) problems.push(`imports ${spec} from outside src/core`);
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
  const files = sourceFiles(CORE);

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
    [
      "import type { Config } from '../../config/schema.js';",
      'imports ../../config/schema.js from outside src/core',
    ],
    ['const region = process.env.AWS_REGION;', 'uses process.env'],
    ['const t = Date.now();', 'uses Date.now()'],
  ])('the check catches %s', (line, expected) => {
    expect(impurities(join(CORE, 'facts/example.ts'), line)).toContain(expected);
  });
});

/**
 * What an app use case may import: core, other app modules (ports included) and Node's pure helpers. It takes
 * ports and option types, never adapters, the parsed config, the CLI or the handlers.
 */
function appProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const spec of importsOf(stripComments(text))) {
    if (spec.startsWith('.')) {
      const target = resolve(dirname(file), spec);
      if (!inside(target, CORE) && !inside(target, APP))
        problems.push(`imports ${spec} from outside core and app`);
    } else if (!ALLOWED_PACKAGES.has(spec)) {
      problems.push(`imports ${spec}`);
    }
  }
  return problems;
}

/** Adapters are leaves: they implement ports (app/ports) over core types, and may read config files; they
 *  never reach into use cases, the CLI or the handlers. */
function adapterProblems(file: string, text: string): string[] {
  const problems: string[] = [];
  for (const spec of importsOf(stripComments(text))) {
    if (!spec.startsWith('.')) continue;
    const target = resolve(dirname(file), spec);
    const allowed =
      inside(target, CORE) || inside(target, PORTS) || inside(target, ADAPTERS) || inside(target, CONFIG);
    if (!allowed) problems.push(`imports ${spec} (adapters may import core, app/ports, config and adapters)`);
  }
  return problems;
}

/** The CLI wires; it does not borrow the Lambda handlers' runtime. */
function cliProblems(file: string, text: string): string[] {
  return importsOf(stripComments(text))
    .filter((spec) => spec.startsWith('.') && inside(resolve(dirname(file), spec), join(SRC, 'handlers')))
    .map((spec) => `imports ${spec} from src/handlers`);
}

function stripComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

describe('src/app takes ports and options', () => {
  const files = sourceFiles(APP);
  it('has app files to check', () => expect(files.length).toBeGreaterThan(5));
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s imports only core and app', (_name, file) => {
    expect(appProblems(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
  it.each([
    [
      "import type { Config } from '../config/schema.js';",
      'imports ../config/schema.js from outside core and app',
    ],
    [
      "import { x } from '../adapters/duckdb/duckdb.js';",
      'imports ../adapters/duckdb/duckdb.js from outside core and app',
    ],
    ["import { S3Client } from '@aws-sdk/client-s3';", 'imports @aws-sdk/client-s3'],
  ])('the check catches %s', (line, expected) => {
    expect(appProblems(join(APP, 'example.ts'), line)).toContain(expected);
  });
});

describe('src/adapters are leaves', () => {
  const files = sourceFiles(ADAPTERS);
  it('has adapter files to check', () => expect(files.length).toBeGreaterThan(5));
  it.each(files.map((f) => [relative(ROOT, f), f]))(
    '%s imports no use case, CLI or handler',
    (_name, file) => {
      expect(adapterProblems(file, readFileSync(file, 'utf8'))).toEqual([]);
    },
  );
  it.each([
    "import { notify } from '../../app/notify.js';",
    "import { x } from '../../cli/wiring.js';",
    "import { x } from '../../handlers/runtime/env.js';",
  ])('the check catches %s', (line) => {
    expect(adapterProblems(join(ADAPTERS, 's3/example.ts'), line)).toHaveLength(1);
  });
  it('lets an adapter import a port', () => {
    expect(
      adapterProblems(
        join(ADAPTERS, 's3/example.ts'),
        "import type { FactStore } from '../../app/ports/ingest.js';",
      ),
    ).toEqual([]);
  });
});

describe('src/cli does not import the Lambda handlers', () => {
  const files = sourceFiles(join(SRC, 'cli'));
  it.each(files.map((f) => [relative(ROOT, f), f]))('%s', (_name, file) => {
    expect(cliProblems(file, readFileSync(file, 'utf8'))).toEqual([]);
  });
  it('the check catches a handler import', () => {
    expect(
      cliProblems(join(SRC, 'cli/commands/x.ts'), "import { y } from '../../handlers/runtime/s3-event.js';"),
    ).toHaveLength(1);
  });
});
