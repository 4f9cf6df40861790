import { spawn, spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalNotificationLog, withFileLock } from '../../src/adapters/local-fs/notification-log.js';
import { LocalSilenceStore } from '../../src/adapters/local-fs/silence-store.js';
import type { ClaimRequest } from '../../src/app/ports/alerting.js';
import { compileSilence } from '../../src/core/alerting/silences.js';
import { StoreError } from '../../src/core/errors.js';

const NOW = Date.parse('2026-06-16T06:00:00Z');
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

const claimFor = (groupKey: string, over: Partial<ClaimRequest> = {}): ClaimRequest => ({
  receiver: 'owners/slack',
  groupKey,
  expectedVersion: null,
  claimedAtMs: NOW,
  leaseUntilMs: NOW + 60_000,
  firingFingerprints: ['f1'],
  maxSeverity: 'warning',
  amount: '12.5',
  expiresAtEpochSec: NOW / 1000 + 86_400,
  ...over,
});

/**
 * Transpiles a source file and the files it imports (values only) to plain ESM under `outDir`, so child
 * processes can run the real adapter with plain `node`. Returns the entry's output path.
 */
async function transpileClosure(entry: string, outDir: string): Promise<string> {
  const seen = new Set<string>();
  const outPath = (file: string) => join(outDir, relative(ROOT, file)).replace(/\.ts$/, '.js');
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const out = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions: {
        module: ts.ModuleKind.ESNext,
        target: ts.ScriptTarget.ES2022,
        verbatimModuleSyntax: true,
      },
    }).outputText;
    await mkdir(dirname(outPath(file)), { recursive: true });
    await writeFile(outPath(file), out);
    for (const [, spec] of out.matchAll(/from '(\.[^']+)\.js'/g))
      await visit(resolve(dirname(file), `${spec}.ts`));
  };
  await visit(entry);
  return outPath(entry);
}

describe('LocalNotificationLog (JSON file + lock file)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nflog-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  let n = 0;
  const newLog = () => new LocalNotificationLog({ path: join(dir, `log-${++n}.json`), nowMs: () => NOW });

  it('claim → commit → a stale version is held → release restores', async () => {
    // Prepare
    const log = newLog();
    // Act
    const c1 = await log.claim(claimFor('g'));
    const commit = await log.commit({ receiver: 'owners/slack', groupKey: 'g', version: 1 });
    const sent = (await log.get('owners/slack', 'g'))!;
    const stale = await log.claim(claimFor('g', { expectedVersion: 1 }));
    const c2 = await log.claim(claimFor('g', { expectedVersion: 2, amount: '99' }));
    const release = await log.release({ receiver: 'owners/slack', groupKey: 'g', version: 3, restore: sent });
    // Assess
    expect([c1, commit, stale, c2, release]).toEqual([
      { ok: true, version: 1 },
      { ok: true, version: 2 },
      { ok: false, reason: 'held' },
      { ok: true, version: 3 },
      { ok: true },
    ]);
    expect(await log.get('owners/slack', 'g')).toEqual({ ...sent, version: 4 });
  });

  it('a live lease holds; an expired lease can be taken over; the stale commit is lost', async () => {
    const log = newLog();
    await log.claim(claimFor('g'));
    expect(await log.claim(claimFor('g', { expectedVersion: 1, claimedAtMs: NOW + 59_999 }))).toEqual({
      ok: false,
      reason: 'held',
    });
    expect(await log.claim(claimFor('g', { expectedVersion: 1, claimedAtMs: NOW + 60_000 }))).toEqual({
      ok: true,
      version: 2,
    });
    expect(await log.commit({ receiver: 'owners/slack', groupKey: 'g', version: 1 })).toEqual({
      ok: false,
      reason: 'lost',
    });
  });

  it('many claimers racing in one process (separate instances, one file): one wins per group', async () => {
    // Prepare
    const path = join(dir, 'race.json');
    const logs = Array.from({ length: 6 }, () => new LocalNotificationLog({ path }));
    // Act
    const results = await Promise.all(
      logs.flatMap((log) => ['a', 'b', 'c'].map((g) => log.claim(claimFor(g)))),
    );
    // Assess
    expect(results.filter((r) => r.ok)).toHaveLength(3);
    const file = JSON.parse(await readFile(path, 'utf8')) as { entries: Record<string, unknown> };
    expect(Object.keys(file.entries)).toHaveLength(3);
  });

  it('two processes racing on the same file: exactly one claim per group wins', async () => {
    // Prepare: the real adapter, transpiled for plain node.
    const adapter = await transpileClosure(
      join(ROOT, 'src/adapters/local-fs/notification-log.ts'),
      join(dir, 'build'),
    );
    const path = join(dir, 'two-processes.json');
    const groups = Array.from({ length: 25 }, (_, i) => `group-${i}`);
    const startAt = Date.now() + 500;
    const child = `
      const { LocalNotificationLog } = await import(${JSON.stringify(adapter)});
      const log = new LocalNotificationLog({ path: ${JSON.stringify(path)} });
      while (Date.now() < ${startAt}) await new Promise((r) => setTimeout(r, 1));
      const wins = [];
      for (const g of ${JSON.stringify(groups)}) {
        const r = await log.claim({ ...${JSON.stringify(claimFor('x'))}, groupKey: g });
        if (r.ok) wins.push(g);
      }
      process.stdout.write(JSON.stringify(wins));
    `;
    const run = () =>
      new Promise<string[]>((resolvePromise, reject) => {
        const p = spawn(process.execPath, ['--input-type=module', '-e', child], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        p.stdout.on('data', (d: Buffer) => {
          out += d.toString();
        });
        p.stderr.on('data', (d: Buffer) => {
          err += d.toString();
        });
        p.on('exit', (code) =>
          code === 0 ? resolvePromise(JSON.parse(out) as string[]) : reject(new Error(err)),
        );
      });
    // Act
    const [a, b] = await Promise.all([run(), run()]);
    // Assess
    expect([...a, ...b].sort()).toEqual([...groups].sort());
    expect(a.filter((g) => b.includes(g))).toEqual([]);
  });

  it('recovers a lock left by a dead process', async () => {
    // Prepare: a lock file whose owner has exited.
    const log = newLog();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const lockPath = join(dir, `log-${n}.json.lock`);
    await writeFile(
      lockPath,
      JSON.stringify({
        pid: dead,
        host: (await import('node:os')).hostname(),
        token: 't',
        acquiredAtMs: Date.now(),
      }),
    );
    // Act
    const result = await log.claim(claimFor('g'));
    // Assess
    expect(result).toEqual({ ok: true, version: 1 });
    await expect(stat(lockPath)).rejects.toThrow(/ENOENT/);
  });

  it('recovers a lock older than staleLockMs; waits out a fresh live one and gives up with a retryable StoreError', async () => {
    // Prepare
    const lockPath = join(dir, 'held.lock');
    const live = { pid: process.pid, host: (await import('node:os')).hostname(), token: 't' };
    await writeFile(lockPath, JSON.stringify({ ...live, acquiredAtMs: Date.now() }));
    // Act
    const blocked = withFileLock(lockPath, async () => 'ran', { lockTimeoutMs: 200, staleLockMs: 60_000 });
    // Assess
    await expect(blocked).rejects.toSatisfy((e) => e instanceof StoreError && e.retryable);
    await writeFile(lockPath, JSON.stringify({ ...live, acquiredAtMs: Date.now() - 120_000 }));
    await expect(withFileLock(lockPath, async () => 'ran', { staleLockMs: 60_000 })).resolves.toBe('ran');
  });

  it('silence store: put, list, expire', async () => {
    // Prepare
    const store = new LocalSilenceStore({ path: join(dir, 'silences.json') });
    const silence = compileSilence({
      id: 's1',
      matchers: ['workload="load-test"'],
      starts_at: '2026-06-15T00:00:00Z',
      ends_at: '2026-06-20T00:00:00Z',
      created_by: 'alice',
      comment: 'load test',
    });
    // Act
    await Promise.all([store.put(silence), store.put({ ...silence, id: 's2' })]);
    const expired = await store.expire('s1', NOW);
    // Assess
    const listed = await store.list();
    expect(listed.map((s) => s.id).sort()).toEqual(['s1', 's2']);
    expect(listed.find((s) => s.id === 's1')?.endsAtMs).toBe(NOW);
    expect(expired).toBe(true);
  });
});
