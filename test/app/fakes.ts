import type {
  ClaimRequest,
  ClaimResult,
  Clock,
  CommitRequest,
  CommitResult,
  NotificationDelivery,
  NotificationLog,
  Notifier,
  ReleaseRequest,
  ReleaseResult,
  SendOutcome,
} from '../../src/app/ports/alerting.js';
import { claimedEntry, type LogEntry } from '../../src/core/alerting/notification-log-entry.js';
import type { IntegrationKind } from '../../src/core/alerting/receivers.js';

/** In-memory notification log with the same compare-and-set rules as the real adapters. */
export class FakeNotificationLog implements NotificationLog {
  readonly entries = new Map<string, LogEntry>();
  readonly ops: string[] = [];

  async get(receiver: string, groupKey: string): Promise<LogEntry | null> {
    await Promise.resolve();
    const e = this.entries.get(`${receiver}|${groupKey}`);
    return e ? structuredClone(e) : null;
  }

  async claim(r: ClaimRequest): Promise<ClaimResult> {
    await Promise.resolve();
    const id = `${r.receiver}|${r.groupKey}`;
    const current = this.entries.get(id);
    const ok =
      current === undefined ||
      (current.version === r.expectedVersion &&
        (current.state === 'SENT' || current.leaseUntilMs <= r.claimedAtMs));
    this.ops.push(`claim ${r.receiver} ${ok ? 'ok' : 'held'}`);
    if (!ok) return { ok: false, reason: 'held' };
    const version = (r.expectedVersion ?? 0) + 1;
    this.entries.set(id, claimedEntry(r, version));
    return { ok: true, version };
  }

  async commit(r: CommitRequest): Promise<CommitResult> {
    const id = `${r.receiver}|${r.groupKey}`;
    const current = this.entries.get(id);
    this.ops.push(`commit ${r.receiver}`);
    if (current?.version !== r.version || current.state !== 'CLAIMED') return { ok: false, reason: 'lost' };
    this.entries.set(id, { ...current, state: 'SENT', version: r.version + 1 });
    return { ok: true, version: r.version + 1 };
  }

  async release(r: ReleaseRequest): Promise<ReleaseResult> {
    const id = `${r.receiver}|${r.groupKey}`;
    const current = this.entries.get(id);
    this.ops.push(`release ${r.receiver}`);
    if (current?.version !== r.version) return { ok: false, reason: 'lost' };
    if (r.restore === null) this.entries.delete(id);
    else this.entries.set(id, { ...r.restore, version: r.version + 1 });
    return { ok: true };
  }
}

/** Records every delivery; answers with scripted outcomes (default delivered), optionally after a delay. */
export class FakeNotifier<K extends IntegrationKind> implements Notifier<K> {
  readonly sent: Extract<NotificationDelivery, { kind: K }>[] = [];
  private readonly outcomes: (SendOutcome | Error)[] = [];

  constructor(private readonly delayMs = 0) {}

  script(...outcomes: (SendOutcome | Error)[]): this {
    this.outcomes.push(...outcomes);
    return this;
  }

  async send(delivery: Extract<NotificationDelivery, { kind: K }>): Promise<SendOutcome> {
    this.sent.push(delivery);
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const next = this.outcomes.shift() ?? { status: 'delivered', messageId: `m${this.sent.length}` };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** A clock tests move by hand. */
export function manualClock(startMs: number): Clock & { advance(ms: number): void; set(ms: number): void } {
  let now = startMs;
  const clock = (() => new Date(now)) as Clock & { advance(ms: number): void; set(ms: number): void };
  clock.advance = (ms) => {
    now += ms;
  };
  clock.set = (ms) => {
    now = ms;
  };
  return clock;
}
