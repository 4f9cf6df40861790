import {
  closeSync,
  existsSync,
  lstatSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
} from 'node:fs';
import { join, relative } from 'node:path';

/** The Lambda entry points; each is `dist/handlers/<name>.js` exporting `handler`. */
export const HANDLERS = [
  'cur-delivery',
  'weekly-digest',
  'quarterly-review',
  'early-warning',
  'slack-interactivity',
] as const;
export type HandlerName = (typeof HANDLERS)[number];
/** Entry points the stack deploys only with a setting (slack-interactivity: `slackTeamId`); always packaged. */
export const OPTIONAL_HANDLERS: readonly HandlerName[] = ['slack-interactivity'];

/** Lambda's two instruction set architectures, spelled as CloudFormation and `-c lambdaArchitecture` spell them. */
export const LAMBDA_ARCHITECTURES = ['arm64', 'x86_64'] as const;
export type LambdaArchitecture = (typeof LAMBDA_ARCHITECTURES)[number];

/** npm's `--cpu` (and `make package ARCH=`) name of each Lambda architecture. */
export const NPM_CPU: Record<LambdaArchitecture, 'arm64' | 'x64'> = { arm64: 'arm64', x86_64: 'x64' };

/** Lambda's limit for the unzipped code of a .zip package (function code and layers together). */
export const LAMBDA_UNZIPPED_LIMIT_BYTES = 262_144_000;

/** ELF `e_machine` values of the two architectures (System V ABI: EM_X86_64 = 62, EM_AARCH64 = 183). */
const ELF_MACHINES: Record<number, LambdaArchitecture> = { 62: 'x86_64', 183: 'arm64' };

const BINDINGS_DIR = 'node_modules/@duckdb';
const BINDING_PREFIX = 'node-bindings-';

/** Lambda's `handler` setting for an entry point, relative to the package root. */
export function handlerSetting(name: HandlerName): string {
  return `dist/handlers/${name}.handler`;
}

/** Handler files missing from a package directory (relative paths); throws when the directory is absent. */
export function missingHandlers(packageDir: string): string[] {
  if (!existsSync(packageDir) || !statSync(packageDir).isDirectory()) {
    throw new Error(
      `Lambda package directory ${packageDir} does not exist: run make package, ` +
        'or pass -c lambdaPackageDir=<dir> (see infra/lambda-package/README.md)',
    );
  }
  return HANDLERS.map((name) => `dist/handlers/${name}.js`).filter(
    (file) => !existsSync(join(packageDir, file)),
  );
}

/** Parses `x86_64` / `arm64` (and npm's `x64`); anything else is an error naming both spellings. */
export function parseArchitecture(value: string, what: string): LambdaArchitecture {
  if (value === 'x64') return 'x86_64';
  if ((LAMBDA_ARCHITECTURES as readonly string[]).includes(value)) return value as LambdaArchitecture;
  throw new Error(`${what} must be arm64 or x86_64 (x64), not "${value}"`);
}

/** The architecture an ELF shared object is built for, from its header; throws for anything else. */
export function elfArchitecture(file: string): LambdaArchitecture {
  const header = Buffer.alloc(20);
  const fd = openSync(file, 'r');
  let read: number;
  try {
    read = readSync(fd, header, 0, header.length, 0);
  } finally {
    closeSync(fd);
  }
  if (read < 20 || header.readUInt32BE(0) !== 0x7f454c46) {
    throw new Error(`${file} is not an ELF binary (Lambda runs Linux): it was built for another OS`);
  }
  // EI_DATA (byte 5): 1 = little-endian, as on both Lambda architectures.
  const machine = header[5] === 1 ? header.readUInt16LE(18) : header.readUInt16BE(18);
  const architecture = ELF_MACHINES[machine];
  if (!architecture)
    throw new Error(`${file} is an ELF binary for machine ${machine}, neither x86_64 nor arm64`);
  return architecture;
}

export interface PackageBinding {
  /** e.g. `@duckdb/node-bindings-linux-arm64`. */
  name: string;
  /** The native `.node` file, relative to the package. */
  binary: string;
  architecture: LambdaArchitecture;
}

function nodeFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.node'))
    .map((entry) => join(dir, entry));
}

/**
 * The DuckDB native binding(s) in a package and the architecture of each `.node` file. DuckDB is the
 * package's only native code, so its binding decides which Lambda architecture the package runs on.
 */
export function packageBindings(packageDir: string): PackageBinding[] {
  const dir = join(packageDir, BINDINGS_DIR);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(BINDING_PREFIX))
    .flatMap((name) =>
      nodeFiles(join(dir, name)).map((file) => ({
        name: `@duckdb/${name}`,
        binary: relative(packageDir, file),
        architecture: elfArchitecture(file),
      })),
    );
}

/**
 * The one architecture a package's native code is built for. Throws when there is no binding or bindings
 * for more than one architecture: either way the package does not say what it runs on.
 */
export function packageArchitecture(packageDir: string): {
  architecture: LambdaArchitecture;
  binary: string;
} {
  const bindings = packageBindings(packageDir);
  const first = bindings[0];
  if (!first) {
    throw new Error(
      `Lambda package ${packageDir} holds no DuckDB native binding (${BINDINGS_DIR}/${BINDING_PREFIX}*/*.node): ` +
        'build it with make package ARCH=arm64|x64',
    );
  }
  const architectures = new Set(bindings.map((b) => b.architecture));
  if (architectures.size > 1) {
    throw new Error(
      `Lambda package ${packageDir} holds DuckDB bindings for ${[...architectures].join(' and ')} ` +
        `(${bindings.map((b) => b.binary).join(', ')}): rebuild it with make package`,
    );
  }
  return { architecture: first.architecture, binary: first.binary };
}

/** Every file below `dir` (symbolic links not followed), relative paths with their sizes. */
export function packageFiles(dir: string, exclude: readonly string[] = ['README.md']): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (sub === '' && exclude.includes(entry.name)) continue;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, lstatSync(join(dir, rel)).size);
    }
  };
  walk('');
  return files;
}

export interface PackageReport {
  architecture: LambdaArchitecture;
  binary: string;
  sizeBytes: number;
  files: number;
  problems: string[];
}

/**
 * Everything `make package` promises about a package: the handlers and run-time files are there, the only
 * native binding is the requested architecture's, no dev dependency or test file was copied in, and the
 * whole fits Lambda's unzipped limit. `problems` is empty when the package is good.
 */
export function checkPackage(packageDir: string, wanted: LambdaArchitecture): PackageReport {
  const problems: string[] = missingHandlers(packageDir).map((file) => `missing ${file}`);
  for (const required of ['package.json', 'sql', 'catalog', 'node_modules/@duckdb/node-api']) {
    if (!existsSync(join(packageDir, required))) problems.push(`missing ${required}`);
  }
  let architecture: LambdaArchitecture = wanted;
  let binary = '';
  try {
    ({ architecture, binary } = packageArchitecture(packageDir));
    if (architecture !== wanted) problems.push(`${binary} is built for ${architecture}, not ${wanted}`);
    const names = new Set(packageBindings(packageDir).map((b) => b.name));
    const expected = `@duckdb/${BINDING_PREFIX}linux-${NPM_CPU[wanted]}`;
    if (names.size !== 1 || !names.has(expected)) {
      problems.push(`expected exactly the binding ${expected}, found ${[...names].join(', ')}`);
    }
  } catch (error) {
    problems.push((error as Error).message);
  }

  const files = packageFiles(packageDir);
  const sizeBytes = [...files.values()].reduce((a, b) => a + b, 0);
  if (sizeBytes > LAMBDA_UNZIPPED_LIMIT_BYTES) {
    problems.push(`${sizeBytes} bytes unzipped, over Lambda's limit of ${LAMBDA_UNZIPPED_LIMIT_BYTES}`);
  }
  const tests = [...files.keys()].filter(
    (file) => /^(test|tests|bench|fixtures|infra)\//.test(file) || /^dist\/.*\.(test|spec)\.js$/.test(file),
  );
  if (tests.length > 0) problems.push(`test or build-only files: ${tests.slice(0, 5).join(', ')}`);
  problems.push(...devDependenciesIn(packageDir));
  return { architecture, binary, sizeBytes, files: files.size, problems };
}

/**
 * Dev-only packages present in the package's node_modules: those the lockfile marks `dev` (a devDependency
 * that a production dependency also needs, such as @types/node for @slack/web-api, is not dev-only), or
 * without a lockfile the root's devDependencies.
 */
function devDependenciesIn(packageDir: string): string[] {
  const found: string[] = [];
  const lockFile = join(packageDir, 'package-lock.json');
  if (existsSync(lockFile)) {
    const lock = JSON.parse(readFileSync(lockFile, 'utf8')) as {
      packages?: Record<string, { dev?: boolean }>;
    };
    for (const [path, entry] of Object.entries(lock.packages ?? {})) {
      if (entry.dev === true && existsSync(join(packageDir, path))) found.push(path);
    }
  } else if (existsSync(join(packageDir, 'package.json'))) {
    const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
    };
    for (const name of Object.keys(manifest.devDependencies ?? {})) {
      if (existsSync(join(packageDir, 'node_modules', name))) found.push(`node_modules/${name}`);
    }
  }
  return found.length === 0 ? [] : [`dev dependencies installed: ${found.slice(0, 5).join(', ')}`];
}
