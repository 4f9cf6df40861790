import { type Alert, snapshotOf } from '../core/alerting/alert.js';
import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import type { ConditionOptions } from '../core/alerting/conditions.js';
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
  sendsResolved,
} from '../core/alerting/receivers.js';
import { repeatIntervalOf } from '../core/alerting/route-tree.js';
import { type Silence, validateSilences } from '../core/alerting/silences.js';
import { describeError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import { renderConsoleText } from '../core/render/console-text.js';
import type { NotificationContent } from '../core/render/notification-content.js';
import { renderSlackMessage } from '../core/render/slack-message.js';
import { renderSnsMessage } from '../core/render/sns-message.js';
import type { Finding } from '../core/rules/finding.js';
import { dayStartMs } from '../core/time/days.js';
import { deliverOnce, sendDelivery } from './deliver.js';
import type {
  Clock,
  ConditionAck,
  ConditionAckStore,
  NotificationDelivery,
  NotificationLog,
  NotifierSet,
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
  /** Acknowledged conditions (Slack "Acknowledge"): no repeats while that firing lasts. None when unset. */
  acks?: ConditionAckStore | undefined;
}

export interface NotifyInput {
  /** Findings of the evaluated days (any number of days: each condition is one alert). */
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  /** The newest final evaluated day and resolve-after days; without it no condition resolves in this run. */
  conditions?: ConditionOptions | undefined;
  /** Decide and render, but claim, send and record nothing. */
  dryRun?: boolean | undefined;
  leaseMs?: number | undefined;
}

/**
 * What happened to one group at one receiver integration.
 * - `delivered`, `unknown` (may have been delivered; recorded as sent), `retry` (not delivered; a later
 *   run will send), `rejected` (not delivered; fix config), `suppressed` (decide said none/in-flight/
 *   acknowledged), `recorded` (every condition ended and the receiver has send_resolved off: only the log
 *   changed),
 *   `held` (another run claimed it first), `muted` (all alerts silenced/inhibited), `dry-run`, `error`
 *   (state store failed; nothing was sent).
 */
export type NotifyOutcome =
  | 'delivered'
  | 'unknown'
  | 'retry'
  | 'rejected'
  | 'suppressed'
  | 'recorded'
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
  /** Condition keys firing in the group. */
  firingFingerprints: readonly string[];
  /** Condition keys of the group that have ended. */
  resolvedFingerprints: readonly string[];
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
  'NotificationsRecorded',
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
 * Findings → conditions → routes → groups → silences/inhibition → decide → claim → send → commit (app/deliver),
 * per group and receiver integration. At most once: the log is claimed (compare-and-set) before sending, and a
 * send that may have happened is recorded as sent. A condition is announced when it starts, repeated by
 * interval (not while acknowledged) or escalation, and resolved once.
 */
export async function notify(input: NotifyInput, deps: NotifyDeps): Promise<NotifyReport> {
  const dryRun = input.dryRun ?? false;
  const leaseMs = input.leaseMs ?? DEFAULT_LEASE_MS;
  const startMs = deps.clock().getTime();
  const stored: Silence[] = deps.silences ? await deps.silences.list() : [];
  const acks: ConditionAck[] = deps.acks ? await deps.acks.list() : [];
  const plan = planNotifications({
    findings: input.findings,
    alerting: input.alerting,
    extraSilences: stored,
    nowMs: startMs,
    conditions: input.conditions,
  });
  const metrics = Object.fromEntries(NOTIFY_METRICS.map((m) => [m, 0])) as Record<NotifyMetric, number>;
  const entries: NotifyReportEntry[] = [];
  for (const group of plan) {
    const receiver = input.alerting.receivers.get(group.receiver);
    if (!receiver) throw new Error(`receiver "${group.receiver}" missing from compiled alerting config`);
    for (const kind of integrationsOf(receiver)) {
      const entry = await notifyOne({ group, receiver, kind, dryRun, leaseMs, input, deps, acks });
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
      recorded: 'NotificationsRecorded',
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
  acks: readonly ConditionAck[];
}): Promise<NotifyReportEntry> {
  const { group, receiver, kind, deps } = args;
  const logReceiver = logReceiverId(receiver.name, kind);
  const snapshot = snapshotOf(group.firing);
  const resolvedFingerprints = group.resolved.map((a) => a.fingerprint).sort();
  const base = {
    receiver: receiver.name,
    integration: kind,
    groupKey: group.groupKey,
    groupLabels: group.groupLabels,
    firingFingerprints: snapshot.firingFingerprints,
    resolvedFingerprints,
    muted: group.muted.map((m) => ({ fingerprint: m.alert.fingerprint, cause: m.cause })),
  };
  if (group.firing.length === 0 && group.resolved.length === 0) {
    return { ...base, reason: null, outcome: 'muted' };
  }

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
  const firingSince = firingSinceOf(group, entry);
  const repeatMs = repeatIntervalOf(group.route, snapshot.maxSeverity);
  const sendResolved = sendsResolved(receiver, kind);
  const reason = decide(entry, snapshot, repeatMs, nowMs, {
    resolvedFingerprints,
    acknowledged: acknowledgedDuringFiring(args.acks, firingSince),
    sendResolved,
  });
  if (!shouldSend(reason)) return { ...base, reason, outcome: 'suppressed' };
  // Everything ended and this receiver wants no resolve message: only the record changes.
  const recordOnly = reason === 'resolved' && !sendResolved;

  // A resolve is news only for conditions the last message to this receiver listed as firing.
  const listed = new Set(entry?.firingFingerprints ?? []);
  const resolvedNews = group.resolved.filter((a) => listed.has(a.fingerprint));
  const built = buildDelivery(logReceiver, kind, receiver, group, reason, {
    firingSince,
    resolved: resolvedNews,
    input: args.input,
  });
  if (!built.ok) return { ...base, reason, outcome: 'rejected', error: built.error };
  const delivery = built.delivery;
  const destination = destinationOf(delivery);
  if (args.dryRun) {
    return recordOnly
      ? { ...base, reason, outcome: 'dry-run', destination }
      : { ...base, reason, outcome: 'dry-run', destination, delivery };
  }
  if (!recordOnly && !deps.notifiers[kind]) {
    return { ...base, reason, outcome: 'rejected', destination, error: `no ${kind} notifier is configured` };
  }

  const outcome = await deliverOnce({
    log: deps.log,
    receiver: logReceiver,
    groupKey: group.groupKey,
    previous: entry,
    nowMs,
    leaseMs: args.leaseMs,
    record: {
      firingFingerprints: snapshot.firingFingerprints,
      maxSeverity: snapshot.maxSeverity,
      amount: formatMoney(snapshot.totalAmount),
      expiresAtEpochSec: expiresAtEpochSec(nowMs, repeatMs, group.firing.length > 0),
      resolvedFingerprints,
      firingSince,
    },
    send: recordOnly ? null : () => sendDelivery(deps.notifiers, delivery),
  });
  const sent = { ...base, reason, destination };
  switch (outcome.status) {
    case 'delivered':
      return {
        ...sent,
        outcome: 'delivered',
        messageId: outcome.messageId,
        commitProblem: outcome.commitProblem,
      };
    case 'unknown':
      return { ...sent, outcome: 'unknown', error: outcome.error, commitProblem: outcome.commitProblem };
    case 'recorded':
      return { ...sent, outcome: 'recorded', commitProblem: outcome.commitProblem };
    case 'retry':
      return { ...sent, outcome: 'retry', error: outcome.error, retryAfterMs: outcome.retryAfterMs };
    case 'rejected':
      return { ...sent, outcome: 'rejected', error: outcome.error };
    case 'held':
      return { ...sent, outcome: 'held' };
    case 'error':
      return { ...sent, outcome: 'error', error: outcome.error };
  }
}

/**
 * First day of the current firing of each firing condition: kept from the log while the last message listed
 * the condition as firing, else the first day this run found it on.
 */
function firingSinceOf(group: PlannedGroup, entry: LogEntry | null): Record<string, string> {
  const listed = new Set(entry?.firingFingerprints ?? []);
  const out: Record<string, string> = {};
  for (const alert of group.firing) {
    const stored = listed.has(alert.fingerprint) ? entry?.firingSince?.[alert.fingerprint] : undefined;
    const seen = alert.condition?.firstDay ?? alert.finding.day;
    out[alert.fingerprint] = stored !== undefined && stored < seen ? stored : seen;
  }
  return out;
}

/** Conditions acknowledged at or after the start of their current firing (an older ack was for an earlier one). */
export function acknowledgedDuringFiring(
  acks: readonly ConditionAck[],
  firingSince: Readonly<Record<string, string>>,
): Set<string> {
  const out = new Set<string>();
  for (const ack of acks) {
    const since = firingSince[ack.conditionKey];
    if (since !== undefined && ack.acknowledgedAtMs >= dayStartMs(since)) out.add(ack.conditionKey);
  }
  return out;
}

function buildDelivery(
  logReceiver: string,
  kind: IntegrationKind,
  receiver: ReceiverSpec,
  group: PlannedGroup,
  reason: NotifyReason,
  extra: { firingSince: Readonly<Record<string, string>>; resolved: readonly Alert[]; input: NotifyInput },
): { ok: true; delivery: NotificationDelivery } | { ok: false; error: string } {
  const { firingSince, input } = extra;
  const { owner, ambiguous } = ownerOfGroup(
    group.firing.length > 0 ? group.firing : extra.resolved,
    input.alerting.owners,
  );
  const content: NotificationContent = {
    receiver: logReceiver,
    groupKey: group.groupKey,
    groupLabels: group.groupLabels,
    alerts: group.firing,
    resolved: extra.resolved,
    firingSince,
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
