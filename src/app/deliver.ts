import type { LogEntry } from '../core/alerting/notification-log-entry.js';
import {
  DEFAULT_SLACK_TOKEN_REF,
  type IntegrationKind,
  integrationsOf,
  logReceiverId,
  OWNER_CHANNEL_TEMPLATE,
  type ReceiverSpec,
} from '../core/alerting/receivers.js';
import type { ReportArtifacts } from '../core/digest/report-artifacts.js';
import { describeError } from '../core/errors.js';
import { describeRedacted } from '../core/render/redact.js';
import type {
  ClaimRequest,
  NotificationDelivery,
  NotificationLog,
  NotifierSet,
  SendOutcome,
} from './ports.js';
import type { ReportDeliveryDeps, ReportDeliveryEntry } from './weekly-digest.js';

/**
 * The one delivery lifecycle (DESIGN §8): alerts, the weekly digest and the provisioned review all go
 * claim → send → commit through here, against the notification log, per (receiver integration, group key).
 *
 * - claim: compare-and-set on the record the caller decided on (`previous`); `held` when another run got there
 *   first or holds a live lease;
 * - send: the caller's sender; a throw may have sent already, so it counts as `unknown`;
 * - commit when it was (or may have been) delivered: recorded as sent, never repeated. A failed commit leaves
 *   the record CLAIMED, which counts as sent once its lease ends;
 * - release when it certainly was not delivered (`retry`, `rejected`): the record goes back to `previous`, so
 *   the claim leaves no trace and a later run sends.
 */

/** What the claim records about the send, besides the receiver, group key and times. */
export type DeliveryRecord = Pick<
  ClaimRequest,
  | 'firingFingerprints'
  | 'maxSeverity'
  | 'amount'
  | 'expiresAtEpochSec'
  | 'resolvedFingerprints'
  | 'firingSince'
>;

/** A send's outcome, with a note for a partial success (e.g. summary posted, file upload failed). */
export type SenderOutcome = SendOutcome & { note?: string | undefined };

/**
 * - `delivered` / `unknown`: sent or maybe sent, recorded; `commitProblem` when the record could not be
 *   committed (it still counts as sent);
 * - `recorded`: nothing to send (e.g. a resolve the receiver does not want), the record was updated;
 * - `retry` / `rejected`: not sent, the claim was released; `held`: another run claimed it first;
 * - `error`: the notification log failed before anything was sent.
 */
export type LifecycleOutcome =
  | { status: 'delivered'; messageId?: string | undefined; note?: string | undefined; commitProblem?: string }
  | { status: 'unknown'; error: string; note?: string | undefined; commitProblem?: string }
  | { status: 'recorded'; commitProblem?: string }
  | { status: 'retry'; error: string; retryAfterMs?: number | undefined }
  | { status: 'rejected'; error: string }
  | { status: 'held' }
  | { status: 'error'; error: string };

export interface LifecycleRequest {
  log: NotificationLog;
  /** Notification-log receiver id (`<receiver>/<integration>`). */
  receiver: string;
  groupKey: string;
  /** The record the decision was made on (null: none); the claim is compare-and-set on its version. */
  previous: LogEntry | null;
  nowMs: number;
  leaseMs: number;
  record: DeliveryRecord;
  /** Sends the message; null records the new state without sending anything. */
  send: (() => Promise<SenderOutcome>) | null;
}

/** Claim → send → commit (or release). Never throws for store or sender failures: they are outcomes. */
export async function deliverOnce(request: LifecycleRequest): Promise<LifecycleOutcome> {
  const { log, receiver, groupKey, previous, nowMs } = request;
  let version: number;
  try {
    const claim = await log.claim({
      receiver,
      groupKey,
      expectedVersion: previous?.version ?? null,
      claimedAtMs: nowMs,
      leaseUntilMs: nowMs + request.leaseMs,
      ...request.record,
    });
    if (!claim.ok) return { status: 'held' };
    version = claim.version;
  } catch (error) {
    return { status: 'error', error: `notification log claim failed: ${describeError(error)}` };
  }

  if (request.send === null) {
    const commitProblem = await commitSafely(log, receiver, groupKey, version);
    return commitProblem ? { status: 'recorded', commitProblem } : { status: 'recorded' };
  }
  let outcome: SenderOutcome;
  try {
    outcome = await request.send();
  } catch (error) {
    outcome = { status: 'unknown', error: `sender threw: ${describeRedacted(error)}` };
  }
  switch (outcome.status) {
    case 'delivered':
    case 'unknown': {
      const commitProblem = await commitSafely(log, receiver, groupKey, version);
      const extra = {
        ...(outcome.note ? { note: outcome.note } : {}),
        ...(commitProblem ? { commitProblem } : {}),
      };
      return outcome.status === 'delivered'
        ? { status: 'delivered', messageId: outcome.messageId, ...extra }
        : { status: 'unknown', error: outcome.error, ...extra };
    }
    case 'retryable':
    case 'rejected': {
      const releaseProblem = await releaseSafely(log, receiver, groupKey, version, previous);
      const error = releaseProblem ? `${outcome.error}; ${releaseProblem}` : outcome.error;
      return outcome.status === 'retryable'
        ? { status: 'retry', error, retryAfterMs: outcome.retryAfterMs }
        : { status: 'rejected', error };
    }
  }
}

/**
 * The receiver-integration interface: one rendered delivery to its notifier (Slack, SNS, console/file). A
 * missing notifier is `rejected`; a notifier that throws may have sent, so that is `unknown`.
 */
export async function sendDelivery(
  notifiers: NotifierSet,
  delivery: NotificationDelivery,
): Promise<SendOutcome> {
  try {
    switch (delivery.kind) {
      case 'slack':
        return notifiers.slack
          ? await notifiers.slack.send(delivery)
          : { status: 'rejected', error: 'no slack notifier is configured' };
      case 'sns':
        return notifiers.sns
          ? await notifiers.sns.send(delivery)
          : { status: 'rejected', error: 'no sns notifier is configured' };
      case 'console':
        return notifiers.console
          ? await notifiers.console.send(delivery)
          : { status: 'rejected', error: 'no console notifier is configured' };
    }
  } catch (error) {
    return { status: 'unknown', error: `notifier threw: ${describeRedacted(error)}` };
  }
}

async function commitSafely(
  log: NotificationLog,
  receiver: string,
  groupKey: string,
  version: number,
): Promise<string | undefined> {
  try {
    const result = await log.commit({ receiver, groupKey, version });
    return result.ok ? undefined : 'claim was taken over before commit (lease too short?)';
  } catch (error) {
    return `commit failed: ${describeError(error)}`;
  }
}

// A failed release leaves the record CLAIMED, which later counts as sent: this group stays unsent.
async function releaseSafely(
  log: NotificationLog,
  receiver: string,
  groupKey: string,
  version: number,
  restore: LogEntry | null,
): Promise<string | undefined> {
  try {
    const result = await log.release({ receiver, groupKey, version, restore });
    return result.ok ? undefined : 'claim was taken over before release';
  } catch (error) {
    return `release failed, it will not be resent: ${describeError(error)}`;
  }
}

// ─── reports (weekly digest, provisioned review) through the same lifecycle ──────────────────────

/** Long enough to post a summary and upload a file with a couple of rate-limit waits. */
export const REPORT_LEASE_MS = 5 * 60_000;

// The log record is what makes a re-run a no-op, so it must outlive any plausible re-run: DynamoDB TTL and
// the local log's pruning both delete records at expiry.
const REPORT_RECORD_TTL_MS = 400 * 86_400_000;

function destinationOf(
  receiver: ReceiverSpec,
  kind: IntegrationKind,
): { ok: true; to: string } | { ok: false; to: string; error: string } {
  switch (kind) {
    case 'slack': {
      const slack = receiver.slack!;
      if (slack.channel !== OWNER_CHANNEL_TEMPLATE) return { ok: true, to: slack.channel };
      // A report goes to one audience; there is no owning team to resolve the template against.
      if (slack.fallback_channel) return { ok: true, to: slack.fallback_channel };
      return {
        ok: false,
        to: OWNER_CHANNEL_TEMPLATE,
        error: `receiver "${receiver.name}" uses ${OWNER_CHANNEL_TEMPLATE} without fallback_channel; reports need a fixed channel`,
      };
    }
    case 'sns':
      return { ok: true, to: receiver.sns!.topic_arn };
    case 'console':
      return { ok: true, to: receiver.console?.dir ?? '(default dir)' };
  }
}

/**
 * Sends a rendered report to each receiver integration at most once per period: read the notification log
 * (any record means it went out), claim (compare-and-set), send, commit — or release when it certainly did
 * not go out. The same protocol as alert notifications, keyed `report:<kind>:<period>`.
 */
export async function deliverReport(
  artifacts: ReportArtifacts,
  receivers: readonly ReceiverSpec[],
  send: boolean,
  deps: ReportDeliveryDeps,
  leaseMs: number = REPORT_LEASE_MS,
): Promise<ReportDeliveryEntry[]> {
  const entries: ReportDeliveryEntry[] = [];
  for (const receiver of receivers) {
    for (const kind of integrationsOf(receiver)) {
      entries.push(await deliverOne(artifacts, receiver, kind, send, deps, leaseMs));
    }
  }
  return entries;
}

async function deliverOne(
  artifacts: ReportArtifacts,
  receiver: ReceiverSpec,
  kind: IntegrationKind,
  send: boolean,
  deps: ReportDeliveryDeps,
  leaseMs: number,
): Promise<ReportDeliveryEntry> {
  const dest = destinationOf(receiver, kind);
  const base = { receiver: receiver.name, integration: kind, destination: `${kind}:${dest.to}` };
  if (!dest.ok) return { ...base, outcome: 'rejected', detail: dest.error };
  if (!send) return { ...base, outcome: 'dry-run' };
  if (artifacts.notReadyReason) return { ...base, outcome: 'deferred', detail: artifacts.notReadyReason };
  const logReceiver = logReceiverId(receiver.name, kind);
  const groupKey = artifacts.groupKey;

  let existing: Awaited<ReturnType<NotificationLog['get']>>;
  try {
    existing = await deps.log.get(logReceiver, groupKey);
  } catch (error) {
    return { ...base, outcome: 'error', detail: `notification log read failed: ${describeError(error)}` };
  }
  const nowMs = deps.clock().getTime();
  if (existing) {
    if (existing.state === 'CLAIMED' && existing.leaseUntilMs > nowMs) {
      return { ...base, outcome: 'held', detail: 'another run is sending this report' };
    }
    // SENT, or CLAIMED with its lease run out (the sender may have died after posting): counts as sent.
    return {
      ...base,
      outcome: 'already-sent',
      detail: `sent ${new Date(existing.lastSentAtMs).toISOString()}`,
    };
  }
  const missing =
    (kind === 'slack' && !deps.slack) ||
    (kind === 'sns' && !deps.sns) ||
    (kind === 'console' && !deps.console);
  if (missing) return { ...base, outcome: 'rejected', detail: `no ${kind} sender is configured` };

  const outcome = await deliverOnce({
    log: deps.log,
    receiver: logReceiver,
    groupKey,
    previous: null,
    nowMs,
    leaseMs,
    record: {
      firingFingerprints: [groupKey],
      maxSeverity: 'info',
      amount: artifacts.amount,
      expiresAtEpochSec: Math.ceil((nowMs + REPORT_RECORD_TTL_MS) / 1000),
    },
    send: () => sendOne(artifacts, receiver, kind, dest.to, logReceiver, deps),
  });
  switch (outcome.status) {
    case 'delivered':
    case 'unknown': {
      const detail = [
        outcome.status === 'unknown' ? outcome.error : undefined,
        outcome.note,
        outcome.commitProblem,
      ]
        .filter(Boolean)
        .join('; ');
      return {
        ...base,
        outcome: outcome.status,
        ...(outcome.status === 'delivered' && outcome.messageId ? { messageId: outcome.messageId } : {}),
        ...(detail ? { detail } : {}),
      };
    }
    case 'retry':
    case 'rejected':
    case 'error':
      return { ...base, outcome: outcome.status, detail: outcome.error };
    case 'held':
      return { ...base, outcome: 'held', detail: 'another run claimed this report first' };
    case 'recorded':
      return { ...base, outcome: 'rejected', detail: 'nothing was sent' };
  }
}

async function sendOne(
  artifacts: ReportArtifacts,
  receiver: ReceiverSpec,
  kind: IntegrationKind,
  to: string,
  logReceiver: string,
  deps: ReportDeliveryDeps,
): Promise<SendOutcome & { note?: string | undefined }> {
  const common = { receiver: logReceiver, groupKey: artifacts.groupKey };
  switch (kind) {
    case 'slack': {
      const file = artifacts.files.find((f) => f.name === artifacts.slackAttachment);
      if (!file)
        return { status: 'rejected', error: `attachment ${artifacts.slackAttachment} was not rendered` };
      return deps.slack!.publish({
        ...common,
        channel: to,
        tokenRef: receiver.slack!.token_env ?? DEFAULT_SLACK_TOKEN_REF,
        message: artifacts.slack,
        file,
      });
    }
    case 'sns':
      return sendDelivery(
        { sns: deps.sns, console: deps.console },
        { ...common, kind: 'sns', topicArn: to, message: artifacts.sns },
      );
    case 'console':
      return sendDelivery(
        { sns: deps.sns, console: deps.console },
        {
          ...common,
          kind: 'console',
          dir: receiver.console?.dir,
          text: artifacts.text,
          document: {
            report: artifacts.report,
            period: artifacts.period,
            headline: artifacts.headline,
            slack: artifacts.slack,
            sns: { subject: artifacts.sns.subject },
            files: artifacts.files.map((f) => f.name),
          },
        },
      );
  }
}
