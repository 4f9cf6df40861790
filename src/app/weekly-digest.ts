import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { planNotifications } from '../core/alerting/plan.js';
import {
  type IntegrationKind,
  integrationsOf,
  logReceiverId,
  type ReceiverSpec,
} from '../core/alerting/receivers.js';
import type { Silence } from '../core/alerting/silences.js';
import type { AnomalyInput, AnomalyState } from '../core/digest/anomalies.js';
import { digestArtifacts } from '../core/digest/digest-artifacts.js';
import { newestUsageEndOf, newestUsageHourOf } from '../core/digest/newest-usage-hour.js';
import type { ReportFile } from '../core/digest/report-artifacts.js';
import { digestFactRange } from '../core/digest/week-window.js';
import { buildWeeklyDigest, type DigestOptions, type WeeklyDigest } from '../core/digest/weekly-digest.js';
import type { DailyFact } from '../core/facts/daily-fact.js';
import { REPORT_FACT_FIELDS } from '../core/facts/report-fields.js';
import { isoWeekDays, lastEndedIsoWeek, parseIsoWeek } from '../core/iso-week.js';
import { conditionKey } from '../core/keys.js';
import { formatMoney } from '../core/money.js';
import type { SlackMessage } from '../core/render/slack-kit.js';
import type { Finding } from '../core/rules/finding.js';
import { deliverReport } from './deliver.js';
import { withFactReader } from './fact-reader.js';
import type { FactStore } from './ingest-ports.js';
import type { Clock, NotificationLog, Notifier, SendOutcome } from './ports.js';

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
 * Where each finding stands, for the digest, judged on its condition (rule + labels without the day):
 * `notified` when a receiver's notification-log record lists the condition (firing or resolved), else `muted`
 * when silenced or inhibited on every route, else `provisional` / `open`. `conditionSince` is the first day
 * of the condition's current firing as the log records it.
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
  const since = new Map<string, string>();
  const firing = new Set<string>();
  const muted = new Set<string>();
  for (const group of plan) {
    for (const m of group.muted) muted.add(m.alert.fingerprint);
    if (group.firing.length === 0) continue;
    for (const a of group.firing) firing.add(a.fingerprint);
    const receiver = input.alerting.receivers.get(group.receiver);
    for (const kind of receiver ? integrationsOf(receiver) : []) {
      const entry = await input.log.get(logReceiverId(group.receiver, kind), group.groupKey);
      for (const key of [...(entry?.firingFingerprints ?? []), ...(entry?.resolvedFingerprints ?? [])]) {
        notified.add(key);
      }
      for (const [key, day] of Object.entries(entry?.firingSince ?? {})) {
        const known = since.get(key);
        if (known === undefined || day < known) since.set(key, day);
      }
    }
  }
  return input.findings.map((finding) => {
    const key = conditionKey(finding);
    const state: AnomalyState = notified.has(key)
      ? 'notified'
      : muted.has(key) && !firing.has(key)
        ? 'muted'
        : finding.provisional
          ? 'provisional'
          : 'open';
    const conditionSince = since.get(key);
    return conditionSince === undefined ? { finding, state } : { finding, state, conditionSince };
  });
}

// ─── the weekly digest use case ──────────────────────────────────────────────────────────────────

export interface WeeklyDigestDeps extends ReportDeliveryDeps {
  store: FactStore;
  writer: ReportWriter;
  findings?: FindingsSource | undefined;
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
  const digest = buildWeeklyDigest({
    week,
    facts,
    newestUsageHour: newest,
    now,
    options: input.options,
    anomalies,
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
