import { snapshotOf } from '../core/alerting/alert.js';
import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { decide, type NotifyReason, shouldSend } from '../core/alerting/decide.js';
import type { Labels } from '../core/alerting/labels.js';
import { expiresAtEpochSec, type LogEntry } from '../core/alerting/notification-log-entry.js';
import { ownerOfGroup } from '../core/alerting/owners.js';
import { type MuteCause, type PlannedGroup, planNotifications } from '../core/alerting/plan.js';
import {
  DEFAULT_SLACK_TOKEN_REF,
  type IntegrationKind,
  integrationsOf,
  logReceiverId,
  type ReceiverSpec,
  resolveSlackChannel,
} from '../core/alerting/receivers.js';
import { type Silence, validateSilences } from '../core/alerting/silences.js';
import { describeError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import { renderConsoleText } from '../core/render/console-text.js';
import type { NotificationContent } from '../core/render/notification-content.js';
import { describeRedacted } from '../core/render/redact.js';
import { renderSlackMessage } from '../core/render/slack-message.js';
import { renderSnsMessage } from '../core/render/sns-message.js';
import type { Finding } from '../core/rules/finding.js';
import type {
  Clock,
  NotificationDelivery,
  NotificationLog,
  NotifierSet,
  SendOutcome,
  SilenceStore,
} from './ports/alerting.js';

/** Long enough for a Slack post with two Retry-After waits; after it, a CLAIMED record counts as sent. */
export const DEFAULT_LEASE_MS = 5 * 60_000;

export interface NotifyDeps {
  log: NotificationLog;
  notifiers: NotifierSet;
  clock: Clock;
  /** Run-time silences (CLI, chat ops); config silences come with `alerting`. */
  silences?: SilenceStore | undefined;
}

export interface NotifyInput {
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  /** Decide and render, but claim, send and record nothing. */
  dryRun?: boolean | undefined;
  leaseMs?: number | undefined;
}

/**
 * What happened to one group at one receiver integration.
 * - `delivered`, `unknown` (may have been delivered; recorded as sent), `retry` (not delivered; a later
 *   run will send), `rejected` (not delivered; fix config), `suppressed` (decide said none/in-flight),
 *   `held` (another run claimed it first), `muted` (all alerts silenced/inhibited), `dry-run`, `error`
 *   (state store failed; nothing was sent).
 */
export type NotifyOutcome =
  | 'delivered'
  | 'unknown'
  | 'retry'
  | 'rejected'
  | 'suppressed'
  | 'held'
  | 'muted'
  | 'dry-run'
  | 'error';

export interface NotifyReportEntry {
  receiver: string;
  integration: IntegrationKind;
  groupKey: string;
  groupLabels: Labels;
  /** null when the group was muted before any decision. */
  reason: NotifyReason | null;
  outcome: NotifyOutcome;
  firingFingerprints: readonly string[];
  muted: readonly { fingerprint: string; cause: MuteCause }[];
  destination?: string | undefined;
  messageId?: string | undefined;
  error?: string | undefined;
  retryAfterMs?: number | undefined;
  /** Set for a `delivered`/`unknown` send whose commit failed or lost its claim; the send still counts. */
  commitProblem?: string | undefined;
  /** Dry run only: the message that would have been sent. */
  delivery?: NotificationDelivery | undefined;
}

export const NOTIFY_METRICS = [
  'NotificationsSent',
  'NotificationsSuppressed',
  'NotificationsMuted',
  'NotificationClaimHeld',
  'NotificationRetryable',
  'NotificationRejected',
  'NotificationOutcomeUnknown',
  'NotificationStoreErrors',
] as const;
export type NotifyMetric = (typeof NOTIFY_METRICS)[number];

export interface NotifyReport {
  dryRun: boolean;
  entries: NotifyReportEntry[];
  /** True when some send was retryable: the caller should run again later (e.g. fail the SQS record). */
  retryNeeded: boolean;
  /** Counts for the caller to publish (EMF metrics); names are PascalCase nouns. */
  metrics: Record<NotifyMetric, number>;
  /** Silences (config and store) past their end: dead config to clean up. */
  expiredSilenceIds: string[];
}

/**
 * Findings → routes → groups → silences/inhibition → decide → claim → send → commit, per group and
 * receiver integration. At most once: the log is claimed (compare-and-set) before sending, and a send
 * that may have happened is recorded as sent.
 */
export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<NotifyReport> {
  const dryRun = input.dryRun ?? false;
  const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
  const startMs = deps.clock().getTime();
  const stored: Silence[] = deps.silences ? await deps.silences.list() : [];
  const plan = planNotifications({
    findings: input.findings,
    alerting: input.alerting,
    extraSilences: stored,
    nowMs: startMs,
  });
  const metrics = Object.fromEntries(NOTIFY_METRICS.map((m) => [m, 0])) as Record<NotifyMetric, number>;
  const entries: NotifyReportEntry[] = [];
  for (const group of plan) {
    const receiver = input.alerting.receivers.get(group.receiver);
    if (!receiver) throw new Error(`receiver "${group.receiver}" missing from compiled alerting config`);
    for (const kind of integrationsOf(receiver)) {
      const entry = await notifyOne({ group, receiver, kind, dryRun, leaseMs, input, deps });
      entries.push(entry);
      count(metrics, entry);
    }
  }
  const silences = validateSilences([...input.alerting.silences, ...stored], startMs);
  return {
    dryRun,
    entries,
    retryNeeded: entries.some((e) => e.outcome === 'retry'),
    metrics,
    expiredSilenceIds: silences.expired.map((s) => s.id),
  };
}

function count(metrics: Record<NotifyMetric, number>, entry: NotifyReportEntry): void {
  const metric: NotifyMetric | undefined = (
    {
      delivered: 'NotificationsSent',
      unknown: 'NotificationOutcomeUnknown',
      retry: 'NotificationRetryable',
      rejected: 'NotificationRejected',
      suppressed: 'NotificationsSuppressed',
      held: 'NotificationClaimHeld',
      muted: 'NotificationsMuted',
      error: 'NotificationStoreErrors',
      'dry-run': undefined,
    } as const
  )[entry.outcome];
  if (metric) metrics[metric] += 1;
}

async function notifyOne(args: {
  group: PlannedGroup;
  receiver: ReceiverSpec;
  kind: IntegrationKind;
  dryRun: boolean;
  leaseMs: number;
  input: NotifyInput;
  deps: NotifyDeps;
}): Promise<NotifyReportEntry> {
  const { group, receiver, kind, deps } = args;
  const logReceiver = logReceiverId(receiver.name, kind);
  const snapshot = snapshotOf(group.firing);
  const base = {
    receiver: receiver.name,
    integration: kind,
    groupKey: group.groupKey,
    groupLabels: group.groupLabels,
    firingFingerprints: snapshot.firingFingerprints,
    muted: group.muted.map((m) => ({ fingerprint: m.alert.fingerprint, cause: m.cause })),
  };
  if (group.firing.length === 0) return { ...base, reason: null, outcome: 'muted' };

  let entry: LogEntry | null;
  try {
    entry = await deps.log.get(logReceiver, group.groupKey);
  } catch (error) {
    return {
      ...base,
      reason: null,
      outcome: 'error',
      error: `notification log read failed: ${describeError(error)}`,
    };
  }
  const nowMs = deps.clock().getTime();
  const reason = decide(entry, snapshot, group.route.repeatIntervalMs, nowMs);
  if (!shouldSend(reason)) return { ...base, reason, outcome: 'suppressed' };

  const built = buildDelivery(logReceiver, kind, receiver, group, reason, args.input);
  if (!built.ok) return { ...base, reason, outcome: 'rejected', error: built.error };
  const delivery = built.delivery;
  const destination = destinationOf(delivery);
  if (args.dryRun) return { ...base, reason, outcome: 'dry-run', destination, delivery };

  if (!deps.notifiers[kind]) {
    return { ...base, reason, outcome: 'rejected', destination, error: `no ${kind} notifier is configured` };
  }

  let version: number;
  try {
    const claim = await deps.log.claim({
      receiver: logReceiver,
      groupKey: group.groupKey,
      expectedVersion: entry?.version ?? null,
      claimedAtMs: nowMs,
      leaseUntilMs: nowMs + args.leaseMs,
      firingFingerprints: snapshot.firingFingerprints,
      maxSeverity: snapshot.maxSeverity,
      amount: formatMoney(snapshot.totalAmount),
      expiresAtEpochSec: expiresAtEpochSec(nowMs, group.route.repeatIntervalMs),
    });
    if (!claim.ok) return { ...base, reason, outcome: 'held', destination };
    version = claim.version;
  } catch (error) {
    return {
      ...base,
      reason,
      outcome: 'error',
      destination,
      error: `notification log claim failed: ${describeError(error)}`,
    };
  }

  const outcome = await sendSafely(deps.notifiers, delivery);
  const sent = { ...base, reason, destination };
  switch (outcome.status) {
    case 'delivered':
    case 'unknown': {
      const commitProblem = await commitSafely(deps.log, logReceiver, group.groupKey, version);
      return outcome.status === 'delivered'
        ? { ...sent, outcome: 'delivered', messageId: outcome.messageId, commitProblem }
        : { ...sent, outcome: 'unknown', error: outcome.error, commitProblem };
    }
    case 'retryable':
    case 'rejected': {
      const releaseProblem = await releaseSafely(deps.log, logReceiver, group.groupKey, version, entry);
      const error = releaseProblem ? `${outcome.error}; ${releaseProblem}` : outcome.error;
      return outcome.status === 'retryable'
        ? { ...sent, outcome: 'retry', error, retryAfterMs: outcome.retryAfterMs }
        : { ...sent, outcome: 'rejected', error };
    }
  }
}

/** A notifier that throws may have sent already: at most once means treating that as unknown. */
async function sendSafely(notifiers: NotifierSet, delivery: NotificationDelivery): Promise<SendOutcome> {
  try {
    switch (delivery.kind) {
      case 'slack':
        return await notifiers.slack!.send(delivery);
      case 'sns':
        return await notifiers.sns!.send(delivery);
      case 'console':
        return await notifiers.console!.send(delivery);
    }
  } catch (error) {
    return { status: 'unknown', error: `notifier threw: ${describeRedacted(error)}` };
  }
}

// A failed commit leaves the record CLAIMED; once its lease runs out it counts as sent, so nothing repeats.
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
    return `release failed, the group will not be resent: ${describeError(error)}`;
  }
}

function buildDelivery(
  logReceiver: string,
  kind: IntegrationKind,
  receiver: ReceiverSpec,
  group: PlannedGroup,
  reason: NotifyReason,
  input: NotifyInput,
): { ok: true; delivery: NotificationDelivery } | { ok: false; error: string } {
  const { owner, ambiguous } = ownerOfGroup(group.firing, input.alerting.owners);
  const content: NotificationContent = {
    receiver: logReceiver,
    groupKey: group.groupKey,
    groupLabels: group.groupLabels,
    alerts: group.firing,
    reason,
    owner,
  };
  const common = { receiver: logReceiver, groupKey: group.groupKey };
  switch (kind) {
    case 'slack': {
      const slack = receiver.slack!;
      const channel = resolveSlackChannel(slack, owner, ambiguous);
      if (!channel.ok) return channel;
      return {
        ok: true,
        delivery: {
          ...common,
          kind,
          channel: channel.channel,
          tokenRef: slack.token_env ?? DEFAULT_SLACK_TOKEN_REF,
          message: renderSlackMessage(content),
        },
      };
    }
    case 'sns':
      return {
        ok: true,
        delivery: { ...common, kind, topicArn: receiver.sns!.topic_arn, message: renderSnsMessage(content) },
      };
    case 'console': {
      const sns = renderSnsMessage(content);
      return {
        ok: true,
        delivery: {
          ...common,
          kind,
          dir: receiver.console?.dir,
          text: renderConsoleText(content),
          document: { reason, slack: renderSlackMessage(content), event: JSON.parse(sns.message) as unknown },
        },
      };
    }
  }
}

function destinationOf(delivery: NotificationDelivery): string {
  switch (delivery.kind) {
    case 'slack':
      return `slack:${delivery.channel}`;
    case 'sns':
      return `sns:${delivery.topicArn}`;
    case 'console':
      return `console:${delivery.dir ?? '(default dir)'}`;
  }
}
