import type { LogEntry } from '../core/alerting/notification-log-entry.js';
import { describeError } from '../core/errors.js';
import { describeRedacted } from '../core/render/redact.js';
import type {
  ClaimRequest,
  NotificationDelivery,
  NotificationLog,
  NotifierSet,
  SendOutcome,
} from './ports/alerting.js';

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
