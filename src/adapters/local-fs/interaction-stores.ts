import { join } from 'node:path';
import type {
  ConditionAck,
  ConditionAckStore,
  FeedbackStore,
  ReplayGuard,
} from '../../app/ports/alerting.js';
import type { FeedbackRecord } from '../../core/interactivity/feedback.js';
import { type FileLockOptions, readJsonState, withFileLock, writeJsonState } from './notification-log.js';

/** Where the Slack interactivity state lives under a local state root (beside silences.json). */
export function interactionStatePaths(root: string): { acks: string; feedback: string; replay: string } {
  return {
    acks: join(root, 'state', 'condition-acks.json'),
    feedback: join(root, 'state', 'feedback.json'),
    replay: join(root, 'state', 'slack-replay.json'),
  };
}

/** One JSON state file, read-modify-written under the notification log's lock discipline. */
class LockedJsonFile<T> {
  constructor(
    private readonly path: string,
    private readonly empty: () => T,
    private readonly options: FileLockOptions,
  ) {}

  read(): Promise<T> {
    return readJsonState<T>(this.path, this.empty());
  }

  update<R>(mutate: (file: T) => { result: R; changed: boolean }): Promise<R> {
    return withFileLock(
      `${this.path}.lock`,
      async () => {
        const file = await this.read();
        const { result, changed } = mutate(file);
        if (changed) await writeJsonState(this.path, file);
        return result;
      },
      this.options,
    );
  }
}

/** Acknowledgements, the newest per condition. */
export class LocalConditionAckStore implements ConditionAckStore {
  private readonly file: LockedJsonFile<{ version: 1; acks: ConditionAck[] }>;

  constructor(options: FileLockOptions & { path: string }) {
    this.file = new LockedJsonFile(options.path, () => ({ version: 1 as const, acks: [] }), options);
  }

  async list(): Promise<ConditionAck[]> {
    return (await this.file.read()).acks;
  }

  async put(ack: ConditionAck): Promise<void> {
    await this.file.update((file) => {
      file.acks = [...file.acks.filter((a) => a.conditionKey !== ack.conditionKey), ack];
      return { result: undefined, changed: true };
    });
  }
}

export class LocalFeedbackStore implements FeedbackStore {
  private readonly file: LockedJsonFile<{ version: 1; feedback: FeedbackRecord[] }>;

  constructor(options: FileLockOptions & { path: string }) {
    this.file = new LockedJsonFile(options.path, () => ({ version: 1 as const, feedback: [] }), options);
  }

  async list(): Promise<FeedbackRecord[]> {
    return (await this.file.read()).feedback;
  }

  async put(records: readonly FeedbackRecord[]): Promise<void> {
    if (records.length === 0) return;
    await this.file.update((file) => {
      const ids = new Set(records.map((r) => r.id));
      file.feedback = [...file.feedback.filter((r) => !ids.has(r.id)), ...records];
      return { result: undefined, changed: true };
    });
  }
}

/** Seen request ids with their expiry; expired ones are dropped on every write. */
export class LocalReplayGuard implements ReplayGuard {
  private readonly file: LockedJsonFile<{ version: 1; seen: Record<string, number> }>;

  constructor(options: FileLockOptions & { path: string }) {
    this.file = new LockedJsonFile(options.path, () => ({ version: 1 as const, seen: {} }), options);
  }

  firstSeen(id: string, expiresAtMs: number, nowMs: number): Promise<boolean> {
    return this.file.update((file) => {
      const known = file.seen[id];
      if (known !== undefined && known > nowMs) return { result: false, changed: false };
      const seen: Record<string, number> = {};
      for (const [k, until] of Object.entries(file.seen)) if (until > nowMs) seen[k] = until;
      seen[id] = expiresAtMs;
      file.seen = seen;
      return { result: true, changed: true };
    });
  }
}
