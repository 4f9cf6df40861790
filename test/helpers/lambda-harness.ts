import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { checkPackage, type LambdaArchitecture } from '../../infra/lib/lambda-package.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');

/** The package architecture this machine can run: the harness loads the package's native DuckDB binding. */
export const HOST_ARCHITECTURE: LambdaArchitecture = process.arch === 'arm64' ? 'arm64' : 'x86_64';
const NPM_ARCH = HOST_ARCHITECTURE === 'arm64' ? 'arm64' : 'x64';

/**
 * The package `make test` builds for the harness (.tmp/lambda-x64 on x86_64), or LAMBDA_HARNESS_PACKAGE.
 * Built here when absent (scripts/package-lambda.sh; needs dist/ and the npm registry).
 */
export function harnessPackage(): string {
  const dir = resolve(REPO_ROOT, process.env.LAMBDA_HARNESS_PACKAGE ?? `.tmp/lambda-${NPM_ARCH}`);
  if (!existsSync(join(dir, 'dist/handlers/cur-delivery.js'))) {
    const built = spawnSync('bash', ['scripts/package-lambda.sh', '--arch', NPM_ARCH, '--out', dir], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`package-lambda failed:\n${built.stdout}\n${built.stderr}`);
  }
  const report = checkPackage(dir, HOST_ARCHITECTURE);
  if (report.problems.length > 0) throw new Error(`${dir}: ${report.problems.join('; ')}`);
  return dir;
}

/**
 * Lambda's runtime, reduced to what a handler can observe: imports `_HANDLER` from LAMBDA_TASK_ROOT (timed
 * from process start, like Lambda's Init phase), invokes it once with the event read from stdin and a
 * context, and reports to fd 3. It lives outside the task root and imports nothing but node: builtins, so
 * every bare import the handler makes resolves from the package alone.
 */
const BOOTSTRAP = `
import { readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { randomUUID } from 'node:crypto';

const report = (value) => writeSync(3, JSON.stringify(value));
const event = JSON.parse(readFileSync(0, 'utf8'));
const root = process.env.LAMBDA_TASK_ROOT;
const handlerSetting = process.env._HANDLER;
const dot = handlerSetting.lastIndexOf('.');
const file = join(root, handlerSetting.slice(0, dot) + '.js');
const exportName = handlerSetting.slice(dot + 1);
let leak = null;
try { leak = import.meta.resolve('@duckdb/node-api'); } catch {}
let codeWritable = true;
try { writeFileSync(join(root, '.write-probe'), 'x'); } catch { codeWritable = false; }
const sandbox = { leak, codeWritable, home: process.env.HOME ?? null, uid: process.getuid() };
const importStart = performance.now();
let handler;
try {
  handler = (await import(pathToFileURL(file).href))[exportName];
} catch (error) {
  report({ phase: 'init', error: String(error && error.stack || error), ...sandbox });
  process.exit(1);
}
const initMs = performance.now();
const moduleLoadMs = initMs - importStart;
const cpu = process.cpuUsage();
const initCpuMs = (cpu.user + cpu.system) / 1000;
const memory = process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE;
const deadline = Date.now() + 900_000;
const context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
  functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
  invokedFunctionArn: 'arn:aws:lambda:' + process.env.AWS_REGION + ':111111111111:function:' + process.env.AWS_LAMBDA_FUNCTION_NAME,
  memoryLimitInMB: memory,
  awsRequestId: randomUUID(),
  logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
  logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
  getRemainingTimeInMillis: () => deadline - Date.now(),
  done() {}, fail() {}, succeed() {},
};
const invokeStart = performance.now();
try {
  const result = await handler(event, context);
  report({ phase: 'invoke', result, initMs, initCpuMs, moduleLoadMs, durationMs: performance.now() - invokeStart, maxRssKb: process.resourceUsage().maxRSS, ...sandbox });
} catch (error) {
  report({ phase: 'invoke', error: String(error && error.stack || error), initMs, initCpuMs, moduleLoadMs, maxRssKb: process.resourceUsage().maxRSS, ...sandbox });
}
process.exit(0);
`;

export interface LambdaSandbox {
  /** Parent of everything: task/ (the code, read-only), runtime/ (the bootstrap), tmp/ (the function's /tmp). */
  root: string;
  taskRoot: string;
  tmp: string;
  /** Runs one handler invocation in a fresh Node process (a cold start every time). */
  invoke(fn: LambdaFunction, event: unknown): Promise<Invocation>;
  /** Files in the code directory (relative), to show nothing was written there. */
  taskFiles(): string[];
  close(): void;
}

export interface LambdaFunction {
  /** e.g. bedrock-cost-cur-delivery */
  name: string;
  /** e.g. dist/handlers/cur-delivery.handler */
  handler: string;
  memoryMb: number;
  environment: Record<string, string>;
}

export interface Invocation {
  phase: 'init' | 'invoke';
  result?: unknown;
  error?: string;
  /** Process start → handler module imported: what Lambda bills as Init. */
  initMs: number;
  /** CPU time (user + system) spent by then: Init's cost without the wait for a shared CPU. */
  initCpuMs: number;
  moduleLoadMs: number;
  durationMs: number;
  /** Peak resident set size of the whole process (Node heap and DuckDB's native memory). */
  maxRssKb: number;
  /** Where a bare import from outside the package resolved (null: it did not). */
  leak: string | null;
  /** Whether the function could create a file in its code directory. */
  codeWritable: boolean;
  home: string | null;
  uid: number;
  /** The function's structured log lines (Powertools JSON on stdout). */
  logs: Record<string, unknown>[];
  stdout: string;
  stderr: string;
  exitCode: number | null;
}

const NOBODY = 65_534;

/**
 * A directory laid out like a Lambda sandbox, outside the repository: the package copied to task/, made
 * read-only (and, when the tests run as root, the function runs as `nobody`, for whom it really is), tmp/
 * writable and handed to the function as its /tmp (TMPDIR). Invocations get Lambda's environment and
 * nothing else: no HOME, no NODE_OPTIONS or NODE_PATH, no variable of the test process.
 */
export function createLambdaSandbox(packageDir: string): LambdaSandbox {
  // Under /tmp itself, not the test run's private TMPDIR: `nobody` must be able to reach it.
  const root = mkdtempSync('/tmp/bedrock-cost-lambda-');
  if (relative(REPO_ROOT, root).split('/')[0] !== '..') throw new Error(`${root} is inside the repository`);
  chmodSync(root, 0o755);
  const taskRoot = join(root, 'task');
  const runtimeDir = join(root, 'runtime');
  const tmp = join(root, 'tmp');
  cpSync(packageDir, taskRoot, { recursive: true, filter: (src) => src !== join(packageDir, 'README.md') });
  mkdirSync(runtimeDir);
  writeFileSync(join(runtimeDir, 'bootstrap.mjs'), BOOTSTRAP);
  mkdirSync(tmp);
  chmodSync(tmp, 0o1777);
  spawnSync('chmod', ['-R', 'a-w', taskRoot, runtimeDir]);
  const asNobody = process.getuid?.() === 0;

  const taskFiles = () =>
    readdirSync(taskRoot, { recursive: true, encoding: 'utf8' }).filter(
      (f) => !statSync(join(taskRoot, f)).isDirectory(),
    );

  return {
    root,
    taskRoot,
    tmp,
    taskFiles,
    invoke(fn, event) {
      const env: Record<string, string> = {
        PATH: '/usr/local/bin:/usr/bin:/bin',
        LANG: 'en_US.UTF-8',
        TZ: ':UTC',
        TMPDIR: tmp,
        LAMBDA_TASK_ROOT: taskRoot,
        LAMBDA_RUNTIME_DIR: runtimeDir,
        _HANDLER: fn.handler,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_NAME: fn.name,
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
        AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${fn.name}`,
        AWS_LAMBDA_LOG_STREAM_NAME: '2026/11/02/[$LATEST]0123456789abcdef',
        AWS_REGION: 'us-east-1',
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'ASIAHARNESS',
        AWS_SECRET_ACCESS_KEY: 'harness-secret-key',
        AWS_SESSION_TOKEN: 'harness-session-token',
        ...fn.environment,
      };
      return new Promise((resolvePromise, reject) => {
        const child = spawn(process.execPath, [join(runtimeDir, 'bootstrap.mjs')], {
          cwd: taskRoot,
          env,
          stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
          ...(asNobody ? { uid: NOBODY, gid: NOBODY } : {}),
        });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const report: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => err.push(c));
        (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => report.push(c));
        child.on('error', reject);
        child.on('close', (code) => {
          const stdout = Buffer.concat(out).toString('utf8');
          const stderr = Buffer.concat(err).toString('utf8');
          const text = Buffer.concat(report).toString('utf8');
          if (!text) {
            reject(
              new Error(`${fn.name}: the runtime reported nothing (exit ${code})\n${stdout}\n${stderr}`),
            );
            return;
          }
          const logs = stdout
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as Record<string, unknown>);
          const parsed = JSON.parse(text) as Invocation;
          resolvePromise({
            ...parsed,
            durationMs: parsed.durationMs ?? 0,
            logs,
            stdout,
            stderr,
            exitCode: code,
          });
        });
        child.stdin.end(JSON.stringify(event));
      });
    },
    close() {
      spawnSync('chmod', ['-R', 'u+w', root]);
      rmSync(root, { recursive: true, force: true });
    },
  };
}
