import { formatUsd, parseMoney } from '../money.js';
import { printable, textTable } from '../render/text-table.js';
import {
  dayRange,
  formatChangeRatio,
  formatInstant,
  formatPct,
  formatSignedUsd,
  shortDay,
} from '../report/format.js';
import type { SpendRow } from './breakdowns.js';
import type { WeeklyDigest } from './weekly-digest.js';

const dash = (v: string | null) => v ?? '—';

/** The chargeback lines as a plain-text table: the text email's, and what `digest weekly` prints. */
export function chargebackTextTable(d: Pick<WeeklyDigest, 'chargeback'>): string {
  return textTable(
    ['Cost center', 'Team', 'Workload', 'This week', 'Last week', 'Change', 'Share', 'MTD', 'Forecast'],
    d.chargeback.map((r) => [
      r.key.costCenter,
      r.key.team,
      r.key.workload,
      formatUsd(r.thisWeek),
      formatUsd(r.lastWeek),
      formatSignedUsd(r.change),
      formatPct(r.share),
      dash(r.monthToDate === null ? null : formatUsd(r.monthToDate)),
      dash(r.forecastMonthEnd === null ? null : formatUsd(r.forecastMonthEnd)),
    ]),
    [3, 4, 5, 6, 7, 8],
  );
}

/**
 * The digest as plain text: the SNS email body and the console/file receiver's text. Same figures as the HTML,
 * monospace table, every chargeback line listed.
 */
export function renderDigestText(d: WeeklyDigest): string {
  const w = d.window;
  const t = d.totals;
  const out: string[] = [];
  out.push(`Amazon Bedrock chargeback — ${d.week} (${dayRange(w.days[0]!, w.days[6]!)}, UTC, Monday–Sunday)`);
  out.push(`Cost: ${d.costMetric}. Generated ${formatInstant(d.generatedAt)}.`);
  out.push('');
  if (w.complete) out.push(`All 7 days final (CUR data as of ${w.asOf ? formatInstant(w.asOf) : 'n/a'}).`);
  else {
    out.push(
      `NOT FINAL: ${w.finalDays.length} of 7 days counted, data as of ${w.asOf ? formatInstant(w.asOf) : 'n/a'}.`,
    );
    for (const s of w.statuses.filter((x) => !x.final)) {
      out.push(`  ${shortDay(s.day)}: not counted, final ${formatInstant(s.finalAt)}`);
    }
    out.push(`  Provisional spend on those days so far: ${formatUsd(d.pendingSpend)} (not included).`);
    out.push(
      `  Last week is the same ${w.previousFinalDays.length} weekday(s) of ${w.previousWeek}, for a like-for-like change.`,
    );
  }
  out.push('');
  out.push(`This week:          ${formatUsd(t.thisWeek)}`);
  out.push(
    `vs ${w.previousWeek}:        ${formatSignedUsd(t.change)} (${formatChangeRatio(t.changeRatio, t.change)}), last week ${formatUsd(t.lastWeek)}`,
  );
  out.push(
    `Month to date:      ${t.monthToDate === null ? '—' : formatUsd(t.monthToDate)}${w.month ? ` (${w.month})` : ''}`,
  );
  out.push(`Forecast month end: ${t.forecastMonthEnd === null ? '—' : formatUsd(t.forecastMonthEnd)}`);
  out.push(
    `Unallocated:        ${formatUsd(t.unallocated)} (${formatPct(t.unallocatedShare)}, ${d.split.mode})`,
  );
  out.push('');
  out.push(d.reconciliation.line);
  out.push('');
  out.push('CHARGEBACK');
  out.push(chargebackTextTable(d));
  out.push(d.split.note);
  if (d.movers.length > 0) {
    out.push('');
    out.push('TOP MOVERS');
    for (const r of d.movers) {
      out.push(`  ${r.label}: ${formatSignedUsd(r.change)} (${formatChangeRatio(r.changeRatio, r.change)})`);
    }
  }
  out.push(
    '',
    'BY MODEL',
    weekShareTable('Model', d.byModel, (m) => m.key),
  );
  out.push(
    '',
    'BY USAGE KIND',
    weekShareTable('Kind', d.byUsageKind, (k) => k.label),
  );
  out.push('');
  out.push(
    `Premium-tier share of tokens: ${formatPct(d.premium.tokenShare)} (last week ${formatPct(d.premium.lastWeekTokenShare)})`,
  );
  if (d.efficiency.length > 0) {
    out.push(
      textTable(
        ['Workload', 'Cache hit rate', 'Last week', 'Premium share'],
        d.efficiency.map((e) => [
          e.workload,
          formatPct(e.cacheHitRate),
          formatPct(e.lastWeekCacheHitRate),
          formatPct(e.premiumTokenShare),
        ]),
        [1, 2, 3],
      ),
    );
  }
  out.push('');
  out.push(`ANOMALIES (${d.anomalies.length})`);
  for (const a of d.anomalies) {
    out.push(
      printable(
        `  ${a.day} ${a.severity} ${a.name} ${a.workload} ${formatUsd(a.amount)} [${a.state}] ${a.headline}`,
      ),
    );
  }
  if (d.anomalies.length === 0) out.push('  none');
  out.push(...earlyWarningText(d));
  out.push('');
  out.push(`OPEN CONDITIONS (${d.openConditions.length})`);
  for (const c of d.openConditions) {
    out.push(
      printable(
        `  ${c.severity} ${c.name} ${c.workload} since ${c.since} (${c.ageDays} d), last found ${c.lastFound}: ${formatUsd(c.amount)}`,
      ),
    );
  }
  if (d.openConditions.length === 0) out.push('  none');
  if (d.feedback && d.feedback.notAnomaly > 0) {
    const rules = d.feedback.byRule.map((r) => `${r.rule} ${r.count}`).join(', ');
    out.push(
      printable(`  Marked "not an anomaly" from Slack this week: ${d.feedback.notAnomaly} (${rules})`),
    );
  }
  return `${out.join('\n')}\n`;
}

/** Unit economics where CloudWatch metrics were recorded, and the early warnings CUR confirmed (issue 14). */
/** A breakdown's table: name, this week, share, last week. */
function weekShareTable(first: string, rows: readonly SpendRow[], name: (row: SpendRow) => string): string {
  return textTable(
    [first, 'This week', 'Share', 'Last week'],
    rows.map((r) => [name(r), formatUsd(r.thisWeek), formatPct(r.share), formatUsd(r.lastWeek)]),
    [1, 2, 3],
  );
}

function earlyWarningText(d: WeeklyDigest): string[] {
  if (!d.earlyWarning) return [];
  const { unitEconomics, confirmations } = d.earlyWarning;
  const out = ['', 'UNIT ECONOMICS (CUR cost ÷ CloudWatch invocations, where metrics exist)'];
  out.push(
    textTable(
      ['Workload', 'Cost', 'Invocations', 'Cost / invocation', 'Tokens / invocation'],
      unitEconomics.map((u) => [
        u.workload,
        formatUsd(u.cost),
        u.invocations.toLocaleString('en-US'),
        u.costPerInvocation === null ? 'n/a' : formatUsd(u.costPerInvocation, 6),
        u.tokensPerInvocation === null ? 'n/a' : Math.round(u.tokensPerInvocation).toLocaleString('en-US'),
      ]),
      [1, 2, 3, 4],
    ),
  );
  out.push('', `EARLY WARNINGS CONFIRMED BY CUR (${confirmations.length})`);
  for (const c of confirmations) {
    out.push(
      printable(
        `  ${c.day} ${c.workload}: paged from ${c.earlyHour.slice(11, 16)} UTC; estimate ${formatUsd(parseMoney(c.estimate))} over ${c.hoursEstimated} h ÷ CUR ${formatUsd(parseMoney(c.cur))} = ${c.ratio === null ? 'n/a' : c.ratio.toFixed(3)}`,
      ),
    );
  }
  if (confirmations.length === 0) out.push('  none');
  return out;
}
