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

/** Records in one JSON state file, `{ version: 1, <field>: [...] }`; `upsert` replaces those with the same key. */
class LocalKeyedList<T> {
  private readonly file: LockedJsonFile<{ version: 1; [field: string]: T[] | 1 }>;

  constructor(
    options: FileLockOptions & { path: string },
    private readonly field: string,
    private readonly keyOf: (record: T) => string,
  ) {
    this.file = new LockedJsonFile(options.path, () => ({ version: 1 as const, [field]: [] }), options);
  }

  async list(): Promise<T[]> {
    return (await this.file.read())[this.field] as T[];
  }

  protected async upsert(records: readonly T[]): Promise<void> {
    if (records.length === 0) return;
    const keys = new Set(records.map(this.keyOf));
    await this.file.update((file) => {
      file[this.field] = [...(file[this.field] as T[]).filter((r) => !keys.has(this.keyOf(r))), ...records];
      return { result: undefined, changed: true };
    });
  }
}

/** Acknowledgements, the newest per condition. */
export class LocalConditionAckStore extends LocalKeyedList<ConditionAck> implements ConditionAckStore {
  constructor(options: FileLockOptions & { path: string }) {
    super(options, 'acks', (a) => a.conditionKey);
  }

  put(ack: ConditionAck): Promise<void> {
    return this.upsert([ack]);
  }
}

export class LocalFeedbackStore extends LocalKeyedList<FeedbackRecord> implements FeedbackStore {
  constructor(options: FileLockOptions & { path: string }) {
    super(options, 'feedback', (r) => r.id);
  }

  put(records: readonly FeedbackRecord[]): Promise<void> {
    return this.upsert(records);
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
