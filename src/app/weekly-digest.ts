import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { planNotifications } from '../core/alerting/plan.js';
import {
  type IntegrationKind,
  integrationsOf,
  logReceiverId,
  OWNER_CHANNEL_TEMPLATE,
  type ReceiverSpec,
} from '../core/alerting/receivers.js';
import type { Silence } from '../core/alerting/silences.js';
import type { AnomalyInput, AnomalyState } from '../core/digest/anomalies.js';
import { digestArtifacts } from '../core/digest/digest-artifacts.js';
import { newestUsageEndOf, newestUsageHourOf } from '../core/digest/newest-usage-hour.js';
import type { ReportArtifacts, ReportFile } from '../core/digest/report-artifacts.js';
import { digestFactRange } from '../core/digest/week-window.js';
import { buildWeeklyDigest, type DigestOptions, type WeeklyDigest } from '../core/digest/weekly-digest.js';
import { describeError } from '../core/errors.js';
import type { DailyFact } from '../core/facts/daily-fact.js';
import { REPORT_FACT_FIELDS } from '../core/facts/report-fields.js';
import { isoWeekDays, lastEndedIsoWeek, parseIsoWeek } from '../core/iso-week.js';
import { formatMoney } from '../core/money.js';
import type { SlackMessage } from '../core/render/slack-kit.js';
import type { Finding } from '../core/rules/finding.js';
import { withFactReader } from './fact-reader.js';
import type { FactStore } from './ingest-ports.js';
import type { Clock, FeedbackStore, NotificationLog, Notifier, SendOutcome } from './ports.js';

// ─── ports of the scheduled reports (digest and provisioned review) ────────────────────────────────

/** Writes a rendered report file; returns where it went (a path or URI). */
export interface ReportWriter {
  write(file: ReportFile): Promise<string>;
}

/** A Slack summary with a file uploaded beside it (in its thread). */
export interface ReportSlackDelivery {
  receiver: string;
  groupKey: string;
  channel: string;
  tokenRef: string;
  message: SlackMessage;
  file: ReportFile;
}

/**
 * Posts the summary, then uploads the file with Slack's external upload flow. Outcomes follow the
 * Notifier contract; once the summary is posted, a failed upload is still `delivered` (with a note), because
 * re-running would post the summary twice.
 */
export interface ReportSlackPublisher {
  publish(delivery: ReportSlackDelivery): Promise<SendOutcome & { note?: string | undefined }>;
}

/** The anomalies (findings and where they stand) on the given days. */
export interface FindingsSource {
  findings(days: readonly string[]): Promise<AnomalyInput[]>;
}

export interface ReportDeliveryDeps {
  log: NotificationLog;
  clock: Clock;
  slack?: ReportSlackPublisher | undefined;
  sns?: Notifier<'sns'> | undefined;
  console?: Notifier<'console'> | undefined;
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

  let version: number;
  try {
    const claim = await deps.log.claim({
      receiver: logReceiver,
      groupKey,
      expectedVersion: null,
      claimedAtMs: nowMs,
      leaseUntilMs: nowMs + leaseMs,
      firingFingerprints: [groupKey],
      maxSeverity: 'info',
      amount: artifacts.amount,
      expiresAtEpochSec: Math.ceil((nowMs + REPORT_RECORD_TTL_MS) / 1000),
    });
    if (!claim.ok) return { ...base, outcome: 'held', detail: 'another run claimed this report first' };
    version = claim.version;
  } catch (error) {
    return { ...base, outcome: 'error', detail: `notification log claim failed: ${describeError(error)}` };
  }

  let outcome: SendOutcome & { note?: string | undefined };
  try {
    outcome = await sendOne(artifacts, receiver, kind, dest.to, logReceiver, deps);
  } catch (error) {
    outcome = { status: 'unknown', error: `sender threw: ${describeError(error)}` };
  }
  switch (outcome.status) {
    case 'delivered':
    case 'unknown': {
      let commitNote: string | undefined;
      try {
        const commit = await deps.log.commit({ receiver: logReceiver, groupKey, version });
        if (!commit.ok) commitNote = 'claim was taken over before commit';
      } catch (error) {
        // The record stays CLAIMED and counts as sent once its lease ends: no repeat either way.
        commitNote = `commit failed: ${describeError(error)}`;
      }
      const detail = [outcome.status === 'unknown' ? outcome.error : undefined, outcome.note, commitNote]
        .filter(Boolean)
        .join('; ');
      return {
        ...base,
        outcome: outcome.status,
        ...(outcome.status === 'delivered' && outcome.messageId ? { messageId: outcome.messageId } : {}),
        ...(detail ? { detail } : {}),
      };
    }
    case 'retryable':
    case 'rejected': {
      let releaseNote = '';
      try {
        const release = await deps.log.release({ receiver: logReceiver, groupKey, version, restore: null });
        if (!release.ok) releaseNote = '; claim was taken over before release';
      } catch (error) {
        releaseNote = `; release failed, the report will not be resent: ${describeError(error)}`;
      }
      return {
        ...base,
        outcome: outcome.status === 'retryable' ? 'retry' : 'rejected',
        detail: `${outcome.error}${releaseNote}`,
      };
    }
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
        tokenRef: receiver.slack!.token_env ?? 'SLACK_BOT_TOKEN',
        message: artifacts.slack,
        file,
      });
    }
    case 'sns':
      return deps.sns!.send({ ...common, kind: 'sns', topicArn: to, message: artifacts.sns });
    case 'console':
      return deps.console!.send({
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
      });
  }
}

/** Looks up report receivers by name in the alerting `receivers:` list; an unknown name is a config error. */
export function resolveReceivers(names: readonly string[], all: readonly ReceiverSpec[]): ReceiverSpec[] {
  return names.map((name) => {
    const found = all.find((r) => r.name === name);
    if (!found) {
      throw new Error(
        `report receiver "${name}" is not defined in receivers; defined: ${all.map((r) => r.name).join(', ') || '(none)'}`,
      );
    }
    return found;
  });
}

/**
 * Where each finding stands, for the digest: `notified` when a receiver's notification-log record holds its
 * fingerprint, else `muted` when silenced or inhibited on every route, else `provisional` / `open`.
 */
export async function findingsWithState(input: {
  findings: readonly Finding[];
  alerting: CompiledAlerting;
  log: NotificationLog;
  silences?: readonly Silence[] | undefined;
  nowMs: number;
}): Promise<AnomalyInput[]> {
  const plan = planNotifications({
    findings: input.findings,
    alerting: input.alerting,
    extraSilences: input.silences ?? [],
    nowMs: input.nowMs,
  });
  const notified = new Set<string>();
  const firing = new Set<string>();
  const muted = new Set<string>();
  for (const group of plan) {
    for (const m of group.muted) muted.add(m.alert.fingerprint);
    if (group.firing.length === 0) continue;
    for (const a of group.firing) firing.add(a.fingerprint);
    const receiver = input.alerting.receivers.get(group.receiver);
    for (const kind of receiver ? integrationsOf(receiver) : []) {
      const entry = await input.log.get(logReceiverId(group.receiver, kind), group.groupKey);
      for (const fp of entry?.firingFingerprints ?? []) notified.add(fp);
    }
  }
  return input.findings.map((finding) => {
    const fp = finding.fingerprint;
    const state: AnomalyState = notified.has(fp)
      ? 'notified'
      : muted.has(fp) && !firing.has(fp)
        ? 'muted'
        : finding.provisional
          ? 'provisional'
          : 'open';
    return { finding, state };
  });
}

// ─── the weekly digest use case ──────────────────────────────────────────────────────────────────

export interface WeeklyDigestDeps extends ReportDeliveryDeps {
  store: FactStore;
  writer: ReportWriter;
  findings?: FindingsSource | undefined;
  /** "Not an anomaly" feedback from Slack, counted in the digest (issue 12). */
  feedback?: FeedbackStore | undefined;
  /** Newest usage hour of the data; default: the store's snapshot metadata, else a lower bound from the facts. */
  newestUsageHour?: (() => Promise<Date | null>) | undefined;
}

export interface WeeklyDigestInput {
  /** `YYYY-Www`; default: the last ISO week that has ended. */
  week?: string | undefined;
  options: DigestOptions;
  sendPartialWeeks: boolean;
  receivers: readonly ReceiverSpec[];
  send: boolean;
  leaseMs?: number | undefined;
}

export interface WeeklyDigestReport {
  week: string;
  headline: string;
  complete: boolean;
  files: { name: string; path: string }[];
  totals: {
    thisWeek: string;
    lastWeek: string;
    change: string;
    monthToDate: string | null;
    forecastMonthEnd: string | null;
    unallocated: string;
  };
  reconciliation: { ok: boolean; line: string; difference: string };
  notReadyReason: string | null;
  deliveries: ReportDeliveryEntry[];
  digest: WeeklyDigest;
}

/**
 * `digest weekly`: reads the facts the week needs, builds the chargeback digest (final days only), writes
 * CSV / HTML / JSON, and with `send` delivers it once per receiver integration and week.
 */
export async function sendWeeklyDigest(
  input: WeeklyDigestInput,
  deps: WeeklyDigestDeps,
): Promise<WeeklyDigestReport> {
  const now = deps.clock();
  const week = input.week ?? lastEndedIsoWeek(now);
  parseIsoWeek(week);
  const range = digestFactRange(week);
  // Rolled up over the columns the digest never reads (principals, tags…): the same sums from fewer rows.
  const facts = await withFactReader(deps.store, (reader) => reader.rollup(range, REPORT_FACT_FIELDS));
  const newest = await watermarkOf(deps, facts, now);
  const anomalies = deps.findings ? await deps.findings.findings(isoWeekDays(week)) : [];
  const feedback = deps.feedback ? await deps.feedback.list() : undefined;
  const digest = buildWeeklyDigest({
    week,
    facts,
    newestUsageHour: newest,
    now,
    options: input.options,
    anomalies,
    feedback,
  });
  const artifacts = digestArtifacts(digest, { sendPartialWeeks: input.sendPartialWeeks });
  const files: { name: string; path: string }[] = [];
  for (const file of artifacts.files) files.push({ name: file.name, path: await deps.writer.write(file) });
  const deliveries = await deliverReport(artifacts, input.receivers, input.send, deps, input.leaseMs);
  const t = digest.totals;
  const nullable = (v: typeof t.monthToDate) => (v === null ? null : formatMoney(v));
  return {
    week,
    headline: artifacts.headline,
    complete: digest.window.complete,
    files,
    totals: {
      thisWeek: formatMoney(t.thisWeek),
      lastWeek: formatMoney(t.lastWeek),
      change: formatMoney(t.change),
      monthToDate: nullable(t.monthToDate),
      forecastMonthEnd: nullable(t.forecastMonthEnd),
      unallocated: formatMoney(t.unallocated),
    },
    reconciliation: {
      ok: digest.reconciliation.ok,
      line: digest.reconciliation.line,
      difference: formatMoney(digest.reconciliation.difference),
    },
    notReadyReason: artifacts.notReadyReason,
    deliveries,
    digest,
  };
}

/**
 * The completeness watermark: the caller's, else the newest usage end the store recorded for its snapshots,
 * else (older snapshots without metadata) the newest usage day in the facts; never later than `now`.
 */
export async function watermarkOf(
  deps: { store: FactStore; newestUsageHour?: (() => Promise<Date | null>) | undefined },
  facts: readonly DailyFact[],
  now: Date,
): Promise<Date | null> {
  const stated = deps.newestUsageHour
    ? await deps.newestUsageHour()
    : (newestUsageEndOf(await deps.store.snapshots()) ?? newestUsageHourOf(facts, now));
  if (stated === null) return null;
  return new Date(Math.min(stated.getTime(), now.getTime()));
}
