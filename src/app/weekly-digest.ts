import type { CompiledAlerting } from '../core/alerting/alerting-spec.js';
import { planNotifications } from '../core/alerting/plan.js';
import { integrationsOf, logReceiverId, type ReceiverSpec } from '../core/alerting/receivers.js';
import type { Silence } from '../core/alerting/silences.js';
import type { AnomalyInput, AnomalyState } from '../core/digest/anomalies.js';
import { digestArtifacts } from '../core/digest/digest-artifacts.js';
import { digestFactRange } from '../core/digest/week-window.js';
import { buildWeeklyDigest, type DigestOptions, type WeeklyDigest } from '../core/digest/weekly-digest.js';
import { REPORT_FACT_FIELDS } from '../core/facts/report-fields.js';
import { formatMoney } from '../core/money.js';
import type { Finding } from '../core/rules/finding.js';
import { isoWeekDays, lastEndedIsoWeek, parseIsoWeek } from '../core/time/iso-week.js';
import { withFactReader } from './fact-reader.js';
import type { NotificationLog } from './ports/alerting.js';
import type { FactStore } from './ports/ingest.js';
import type { FindingsSource, ReportWriter } from './ports/reports.js';
import {
  deliverReport,
  type ReportDeliveryDeps,
  type ReportDeliveryEntry,
  watermarkOf,
} from './report-delivery.js';

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
