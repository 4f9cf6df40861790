import { randomUUID } from 'node:crypto';
import { link, mkdir, open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type {
  ClaimRequest,
  ClaimResult,
  CommitRequest,
  CommitResult,
  NotificationLog,
  ReleaseRequest,
  ReleaseResult,
} from '../../app/ports/alerting.js';
import { claimedEntry, type LogEntry } from '../../core/alerting/notification-log-entry.js';
import { StoreError } from '../../core/errors.js';
import { readJsonFile, writeJsonFileAtomic } from './json-file.js';

export interface FileLockOptions {
  /** A lock older than this is taken over; it must exceed the longest read-modify-write. */
  staleLockMs?: number;
  /** Give up waiting for the lock after this long (StoreError, retryable). */
  lockTimeoutMs?: number;
  /** Wall clock for lock ages only; record times come from the caller's requests. */
  nowMs?: () => number;
}

interface LockContent {
  pid: number;
  host: string;
  token: string;
  acquiredAtMs: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Runs `fn` while holding `<lockPath>`, an exclusive file created with `open(path, 'wx')`, so processes on
 * one machine serialise their read-modify-write of a state file. A lock whose process is gone (same
 * host) or that is older than `staleLockMs` is taken over.
 */
export async function withFileLock<T>(
  lockPath: string,
  fn: () => Promise<T>,
  options: FileLockOptions = {},
): Promise<T> {
  const staleLockMs = options.staleLockMs ?? 30_000;
  const nowMs = options.nowMs ?? (() => Date.now());
  const deadline = nowMs() + (options.lockTimeoutMs ?? 10_000);
  const content: LockContent = {
    pid: process.pid,
    host: hostname(),
    token: randomUUID(),
    acquiredAtMs: nowMs(),
  };
  await mkdir(dirname(lockPath), { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      try {
        await handle.writeFile(JSON.stringify({ ...content, acquiredAtMs: nowMs() }));
      } finally {
        await handle.close();
      }
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new StoreError(`cannot create lock file ${lockPath}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    }
    await breakIfStale(lockPath, staleLockMs, nowMs);
    if (nowMs() > deadline) {
      throw new StoreError(`timed out waiting for lock file ${lockPath}`, { retryable: true });
    }
    await sleep(Math.min(5 * 2 ** Math.min(attempt, 5), 100) + Math.random() * 5);
  }
  try {
    return await fn();
  } finally {
    await releaseLock(lockPath, content.token);
  }
}

async function releaseLock(lockPath: string, token: string): Promise<void> {
  // Only remove our own lock: if ours was taken over as stale, the file now belongs to another process.
  const current = await readLock(lockPath);
  if (current?.parsed?.token === token) await unlink(lockPath).catch(() => undefined);
}

async function readLock(
  lockPath: string,
): Promise<{ raw: string; parsed: LockContent | null; mtimeMs: number } | null> {
  try {
    const [raw, info] = await Promise.all([readFile(lockPath, 'utf8'), stat(lockPath)]);
    let parsed: LockContent | null = null;
    try {
      parsed = JSON.parse(raw) as LockContent;
    } catch {
      // Created but not yet written by its owner: judged by age alone.
    }
    return { raw, parsed, mtimeMs: info.mtimeMs };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Whether a process of this host is running (EPERM: it is, under another user). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function breakIfStale(lockPath: string, staleLockMs: number, nowMs: () => number): Promise<void> {
  const seen = await readLock(lockPath);
  if (!seen) return;
  const ageMs = nowMs() - (seen.parsed?.acquiredAtMs ?? seen.mtimeMs);
  const ownerGone = seen.parsed !== null && seen.parsed.host === hostname() && !processAlive(seen.parsed.pid);
  if (!ownerGone && ageMs <= staleLockMs) return;
  // Move the lock aside atomically, then check it is the one judged stale: two processes may both judge
  // it stale, and the slower one must not delete the lock the faster one has just taken.
  const aside = `${lockPath}.${randomUUID()}.stale`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  const moved = await readFile(aside, 'utf8').catch(() => null);
  if (moved !== seen.raw) await link(aside, lockPath).catch(() => undefined);
  await unlink(aside).catch(() => undefined);
}

/** Reads a JSON state file as StoreError on failure; a missing file is `empty`. */
export async function readJsonState<T>(path: string, empty: T): Promise<T> {
  try {
    return await readJsonFile(path, empty);
  } catch (error) {
    throw new StoreError(`cannot read state file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Replaces a JSON state file atomically; StoreError on failure. */
export async function writeJsonState(path: string, state: unknown): Promise<void> {
  try {
    await writeJsonFileAtomic(path, state);
  } catch (error) {
    throw new StoreError(`cannot write state file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

interface LogFile {
  version: 1;
  entries: Record<string, LogEntry>;
}

const emptyLog = (): LogFile => ({ version: 1, entries: {} });

/** Where the embedded notification log lives under a local state root. */
export function notificationLogPath(root: string): string {
  return join(root, 'state', 'notification-log.json');
}
const entryId = (receiver: string, groupKey: string) => `${receiver}|${groupKey}`;

export interface LocalNotificationLogOptions extends FileLockOptions {
  /** The JSON state file, e.g. `.bedrock-cost/state/notification-log.json`. */
  path: string;
}

/**
 * Notification log in one JSON file: the embedded default. Every write is a compare-and-set under an
 * exclusive lock file, so concurrent runs on one machine send each group at most once.
 */
export class LocalNotificationLog implements NotificationLog {
  private readonly lockPath: string;

  constructor(private readonly options: LocalNotificationLogOptions) {
    this.lockPath = `${options.path}.lock`;
  }

  async get(receiver: string, groupKey: string): Promise<LogEntry | null> {
    const file = await readJsonState(this.options.path, emptyLog());
    return file.entries[entryId(receiver, groupKey)] ?? null;
  }

  claim(request: ClaimRequest): Promise<ClaimResult> {
    return this.update<ClaimResult>((file) => {
      const id = entryId(request.receiver, request.groupKey);
      const current = file.entries[id];
      // Same condition as the DynamoDB adapter: absent, or unchanged and not under a live lease.
      const claimable =
        current === undefined ||
        (current.version === request.expectedVersion &&
          (current.state === 'SENT' || current.leaseUntilMs <= request.claimedAtMs));
      if (!claimable) return { result: { ok: false, reason: 'held' } };
      pruneExpired(file, request.claimedAtMs);
      const version = Math.max(current?.version ?? 0, request.expectedVersion ?? 0) + 1;
      file.entries[id] = claimedEntry(request, version);
      return { result: { ok: true, version }, changed: true };
    });
  }

  commit(request: CommitRequest): Promise<CommitResult> {
    return this.update<CommitResult>((file) => {
      const id = entryId(request.receiver, request.groupKey);
      const current = file.entries[id];
      if (current?.version !== request.version || current.state !== 'CLAIMED') {
        return { result: { ok: false, reason: 'lost' } };
      }
      const version = current.version + 1;
      file.entries[id] = { ...current, state: 'SENT', version };
      return { result: { ok: true, version }, changed: true };
    });
  }

  release(request: ReleaseRequest): Promise<ReleaseResult> {
    return this.update<ReleaseResult>((file) => {
      const id = entryId(request.receiver, request.groupKey);
      const current = file.entries[id];
      if (current?.version !== request.version) return { result: { ok: false, reason: 'lost' } };
      if (request.restore === null) delete file.entries[id];
      else file.entries[id] = { ...request.restore, version: current.version + 1 };
      return { result: { ok: true }, changed: true };
    });
  }

  private update<R>(mutate: (file: LogFile) => { result: R; changed?: boolean }): Promise<R> {
    return withFileLock(
      this.lockPath,
      async () => {
        const file = await readJsonState(this.options.path, emptyLog());
        const { result, changed } = mutate(file);
        if (changed) await writeJsonState(this.options.path, file);
        return result;
      },
      this.options,
    );
  }
}

// The file equivalent of DynamoDB TTL: records past expiry are dead weight (decide treats them as absent).
// Judged by the caller's clock, the one decide() used, never the wall clock.
function pruneExpired(file: LogFile, nowMs: number): void {
  for (const [id, entry] of Object.entries(file.entries)) {
    if (entry.expiresAtEpochSec * 1000 < nowMs && entry.state === 'SENT') delete file.entries[id];
  }
}
