import type { LogEntry } from '../../core/alerting/notification-log-entry.js';
import type { IntegrationKind } from '../../core/alerting/receivers.js';
import type { Silence } from '../../core/alerting/silences.js';
import type { FeedbackRecord } from '../../core/interactivity/feedback.js';
import type { SlackMessage } from '../../core/render/slack-kit.js';
import type { SnsMessage } from '../../core/render/sns-message.js';
import type { Severity } from '../../core/rules/finding.js';

// ─────────────────────────────────────────────────────────────────────────────────────────────────
// Alerting ports: notification log, notifiers, silences, clock. Used by app/notify.ts.
// ─────────────────────────────────────────────────────────────────────────────────────────────────

/** Wall clock, injected so use cases and tests control time. */
export type Clock = () => Date;

/** Take a (receiver, group) record for sending: compare-and-set on the version the caller read. */
export interface ClaimRequest {
  receiver: string;
  groupKey: string;
  /** Version of the record the caller decided on, or null when it read none. */
  expectedVersion: number | null;
  claimedAtMs: number;
  leaseUntilMs: number;
  firingFingerprints: readonly string[];
  maxSeverity: Severity;
  amount: string;
  expiresAtEpochSec: number;
  /** Conditions this send reports as resolved. */
  resolvedFingerprints?: readonly string[] | undefined;
  /** First day of the current firing of each firing condition. */
  firingSince?: Readonly<Record<string, string>> | undefined;
}

/**
 * `held`: the record changed since it was read, or another run holds an unexpired lease on it. A normal
 * result (another run is sending), not an error.
 */
export type ClaimResult = { ok: true; version: number } | { ok: false; reason: 'held' };

export interface CommitRequest {
  receiver: string;
  groupKey: string;
  /** The version the claim returned. */
  version: number;
}

/** `lost`: the claim was taken over (its lease ran out mid-send); the send still counts. */
export type CommitResult = { ok: true; version: number } | { ok: false; reason: 'lost' };

export interface ReleaseRequest {
  receiver: string;
  groupKey: string;
  version: number;
  /** The record as it was before the claim (null: there was none), so the claim leaves no trace. */
  restore: LogEntry | null;
}

export type ReleaseResult = { ok: true } | { ok: false; reason: 'lost' };

/**
 * Per-(receiver integration, group key) memory of what was sent: Alertmanager's nflog with
 * claim-before-send. Implementations: local JSON file (embedded default), DynamoDB.
 * Store failures throw StoreError; contention is a value.
 */
export interface NotificationLog {
  get(receiver: string, groupKey: string): Promise<LogEntry | null>;
  claim(request: ClaimRequest): Promise<ClaimResult>;
  commit(request: CommitRequest): Promise<CommitResult>;
  release(request: ReleaseRequest): Promise<ReleaseResult>;
}

interface DeliveryBase {
  /** Notification-log receiver id (`<receiver>/<integration>`). */
  receiver: string;
  groupKey: string;
}

/** A rendered message and where it goes. */
export type NotificationDelivery =
  | (DeliveryBase & { kind: 'slack'; channel: string; tokenRef: string; message: SlackMessage })
  | (DeliveryBase & { kind: 'sns'; topicArn: string; message: SnsMessage })
  | (DeliveryBase & { kind: 'console'; dir: string | undefined; text: string; document: unknown });

/**
 * How a send ended. `retryable`: certainly not delivered, a later run may send. `rejected`: not
 * delivered and retrying will not help. `unknown`: may have been delivered (timeout after the request
 * was written): recorded as sent, never retried. Error texts are already redacted.
 */
export type SendOutcome =
  | { status: 'delivered'; messageId?: string | undefined }
  | { status: 'retryable'; error: string; retryAfterMs?: number | undefined }
  | { status: 'rejected'; error: string }
  | { status: 'unknown'; error: string };

/** Sends one rendered message. Expected failures are outcomes; a throw is a defect (treated as unknown). */
export interface Notifier<K extends IntegrationKind = IntegrationKind> {
  send(delivery: Extract<NotificationDelivery, { kind: K }>): Promise<SendOutcome>;
}

export type NotifierSet = { [K in IntegrationKind]?: Notifier<K> };

/** Silences created at run time (CLI, chat ops), in addition to those in config. */
export interface SilenceStore {
  list(): Promise<Silence[]>;
  put(silence: Silence): Promise<void>;
  /** Ends a silence now; false when no silence has that id. */
  expire(id: string, atMs: number): Promise<boolean>;
}

/**
 * "Acknowledge" on an alert condition (issue 12, from Slack): no more repeats while that condition fires.
 * An acknowledgement applies to the firing that was open at `acknowledgedAtMs`; once the condition
 * resolves and fires again, it notifies again.
 */
export interface ConditionAck {
  /** core/keys conditionKey. */
  conditionKey: string;
  acknowledgedBy: string;
  acknowledgedAtMs: number;
}

/** Acknowledgements recorded by the Slack interactivity endpoint; read by the alert lifecycle. */
export interface ConditionAckStore {
  list(): Promise<ConditionAck[]>;
  put(ack: ConditionAck): Promise<void>;
}

/** "Not an anomaly" feedback from Slack (issue 12): listed by `feedback list`, counted in the digest. */
export interface FeedbackStore {
  list(): Promise<FeedbackRecord[]>;
  /** Adds the records, or replaces those with the same id. */
  put(records: readonly FeedbackRecord[]): Promise<void>;
}

/**
 * Remembers request ids (Slack signatures) for as long as Slack's replay window: `firstSeen` records the
 * id and is true only the first time, atomically, so a replayed request is refused even when two copies
 * arrive at once.
 */
export interface ReplayGuard {
  firstSeen(id: string, expiresAtMs: number, nowMs: number): Promise<boolean>;
}

/** Rewrites a posted Slack message in place (`chat.update`); failures are outcomes, texts redacted. */
export interface SlackMessageUpdater {
  update(target: { channel: string; ts: string }, message: SlackMessage): Promise<SendOutcome>;
}

// ─── end of alerting ports ─────────────────────────────────────────────────────────────────────────
