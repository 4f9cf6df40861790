import { digestArtifacts } from '../core/digest/digest-artifacts.js';
import { digestFactRange } from '../core/digest/week-window.js';
import { buildWeeklyDigest, type DigestOptions, type WeeklyDigest } from '../core/digest/weekly-digest.js';
import { formatMoney } from '../core/money.js';
import { isoWeekDays, lastEndedIsoWeek, parseIsoWeek } from '../core/time/iso-week.js';
import type { FeedbackStore } from './ports/alerting.js';
import type { EarlyWarningStore } from './ports/early-warning.js';
import type { FindingsSource } from './ports/reports.js';
import {
  type ReportRunDeps,
  type ReportRunOutcome,
  type ReportSendInput,
  readReportFacts,
  writeAndDeliver,
} from './report-delivery.js';

// ─── the weekly digest use case ──────────────────────────────────────────────────────────────────

export interface WeeklyDigestDeps extends ReportRunDeps {
  findings?: FindingsSource | undefined;
  /** Early-warning state: unit economics and estimate ÷ CUR in the digest (issue 14). */
  earlyWarnings?: EarlyWarningStore | undefined;
  /** "Not an anomaly" feedback from Slack, counted in the digest (issue 12). */
  feedback?: FeedbackStore | undefined;
}

export interface WeeklyDigestInput extends ReportSendInput {
  /** `YYYY-Www`; default: the last ISO week that has ended. */
  week?: string | undefined;
  options: DigestOptions;
  sendPartialWeeks: boolean;
}

export interface WeeklyDigestReport extends ReportRunOutcome {
  week: string;
  totals: {
    thisWeek: string;
    lastWeek: string;
    change: string;
    monthToDate: string | null;
    forecastMonthEnd: string | null;
    unallocated: string;
  };
  reconciliation: { ok: boolean; line: string; difference: string };
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
  const { facts, newest } = await readReportFacts(deps, digestFactRange(week), now);
  const anomalies = deps.findings ? await deps.findings.findings(isoWeekDays(week)) : [];
  const feedback = deps.feedback ? await deps.feedback.list() : undefined;
  const digest = buildWeeklyDigest({
    week,
    facts,
    newestUsageHour: newest,
    now,
    options: input.options,
    anomalies,
    earlyWarning: deps.earlyWarnings ? await deps.earlyWarnings.read() : undefined,
    feedback,
  });
  const artifacts = digestArtifacts(digest, { sendPartialWeeks: input.sendPartialWeeks });
  const outcome = await writeAndDeliver(artifacts, digest.window.complete, input, deps);
  const t = digest.totals;
  const nullable = (v: typeof t.monthToDate) => (v === null ? null : formatMoney(v));
  return {
    week,
    ...outcome,
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
    digest,
  };
}
