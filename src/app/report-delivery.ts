import {
  DEFAULT_SLACK_TOKEN_REF,
  type IntegrationKind,
  integrationsOf,
  logReceiverId,
  OWNER_CHANNEL_TEMPLATE,
  type ReceiverSpec,
} from '../core/alerting/receivers.js';
import { ConfigError, describeError } from '../core/errors.js';
import type { DailyFact } from '../core/facts/daily-fact.js';
import { newestUsageEndOf, newestUsageHourOf } from '../core/facts/newest-usage-hour.js';
import { REPORT_FACT_FIELDS } from '../core/facts/report-fields.js';
import type { ReportArtifacts } from '../core/report/report-artifacts.js';
import { deliverOnce, sendDelivery } from './deliver.js';
import { withFactReader } from './fact-reader.js';
import type { Clock, NotificationLog, Notifier, SendOutcome } from './ports/alerting.js';
import type { FactStore } from './ports/ingest.js';
import type { ReportSlackPublisher, ReportWriter } from './ports/reports.js';

// Delivery of a rendered scheduled report (weekly digest, provisioned review): once per receiver and period.

export interface ReportDeliveryDeps {
  log: NotificationLog;
  clock: Clock;
  slack?: ReportSlackPublisher | undefined;
  sns?: Notifier<'sns'> | undefined;
  console?: Notifier<'console'> | undefined;
}

/** What a report use case needs: the facts it reads, a writer for its files and the delivery dependencies. */
export interface ReportRunDeps extends ReportDeliveryDeps, ReportFactsDeps {
  writer: ReportWriter;
}

/** What every report run returns beside its own figures. */
export interface ReportRunOutcome {
  headline: string;
  /** Every day of the period is final. */
  complete: boolean;
  files: { name: string; path: string }[];
  notReadyReason: string | null;
  deliveries: ReportDeliveryEntry[];
}

/** Who receives a report, whether it is sent at all, and how long one send may hold its claim. */
export interface ReportSendInput {
  receivers: readonly ReceiverSpec[];
  send: boolean;
  leaseMs?: number | undefined;
}

/**
 * - `delivered` / `unknown` (may have been delivered; recorded as sent, never repeated);
 * - `already-sent`: the notification log has this report for this receiver (a re-run is a no-op);
 * - `held`: another run is sending it right now; `deferred`: not ready (e.g. week not final);
 * - `retry` / `rejected`: not delivered (retry later / fix config); `error`: the log failed, nothing sent;
 * - `dry-run`: `send` was not requested.
 */
export type ReportDeliveryOutcome =
  | 'delivered'
  | 'unknown'
  | 'already-sent'
  | 'held'
  | 'deferred'
  | 'retry'
  | 'rejected'
  | 'error'
  | 'dry-run';

export interface ReportDeliveryEntry {
  receiver: string;
  integration: IntegrationKind;
  destination: string;
  outcome: ReportDeliveryOutcome;
  messageId?: string | undefined;
  detail?: string | undefined;
}

/** Writes every rendered file of a report, then delivers it (see `deliverReport`); the run's outcome. */
export async function writeAndDeliver(
  artifacts: ReportArtifacts,
  complete: boolean,
  input: ReportSendInput,
  deps: ReportDeliveryDeps & { writer: ReportWriter },
): Promise<ReportRunOutcome> {
  const files: { name: string; path: string }[] = [];
  for (const file of artifacts.files) files.push({ name: file.name, path: await deps.writer.write(file) });
  const deliveries = await deliverReport(artifacts, input.receivers, input.send, deps, input.leaseMs);
  return {
    headline: artifacts.headline,
    complete,
    files,
    notReadyReason: artifacts.notReadyReason,
    deliveries,
  };
}

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

/** Looks up report receivers by name in the alerting `receivers:` list; an unknown name is a config error. */
export function resolveReceivers(names: readonly string[], all: readonly ReceiverSpec[]): ReceiverSpec[] {
  return names.map((name) => {
    const found = all.find((r) => r.name === name);
    if (!found) {
      throw new ConfigError(
        `report receiver "${name}" is not defined in receivers; defined: ${all.map((r) => r.name).join(', ') || '(none)'}`,
      );
    }
    return found;
  });
}

/** What a report reads of the store, and how: the fact store and, optionally, the caller's watermark. */
export interface ReportFactsDeps {
  store: FactStore;
  /** Newest usage hour of the data; default: the store's snapshot metadata, else a lower bound from the facts. */
  newestUsageHour?: (() => Promise<Date | null>) | undefined;
}

/**
 * The facts of `range` a report reads, rolled up over the columns reports never read (principals, tags…):
 * the same sums from fewer rows. With them, the completeness watermark: the caller's, else the newest usage
 * end the store recorded for its snapshots, else (older snapshots without metadata) the newest usage day in
 * the facts; never later than `now`.
 */
export async function readReportFacts(
  deps: ReportFactsDeps,
  range: { from: string; to: string },
  now: Date,
): Promise<{ facts: DailyFact[]; newest: Date | null }> {
  const facts = await withFactReader(deps.store, (reader) => reader.rollup(range, REPORT_FACT_FIELDS));
  const stated = deps.newestUsageHour
    ? await deps.newestUsageHour()
    : (newestUsageEndOf(await deps.store.snapshots()) ?? newestUsageHourOf(facts, now));
  const newest = stated === null ? null : new Date(Math.min(stated.getTime(), now.getTime()));
  return { facts, newest };
}
