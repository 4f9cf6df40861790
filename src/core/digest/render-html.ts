import { UNALLOCATED } from '../facts/daily-fact.js';
import { formatMoney, formatUsd, type Money, moneyToNumber, parseMoney } from '../money.js';
import {
  dayRange,
  formatChangeRatio,
  formatInstant,
  formatPct,
  formatSignedUsd,
  formatTokens,
  shortDay,
} from '../report/format.js';
import {
  bar,
  type CellInput,
  callout,
  colorAt,
  esc,
  h1,
  h2,
  legend,
  MUTED,
  page,
  para,
  signColor,
  small,
  stackedBar,
  table,
  tiles,
} from '../report/html-kit.js';
import { maxMoney } from '../rules/stats.js';
import { OTHER_SERIES } from './breakdowns.js';
import { SHARED } from './chargeback-line.js';
import type { ChargebackRow, Subtotals, WeeklyDigest } from './weekly-digest.js';

const MAX_EFFICIENCY_ROWS = 25;
const MAX_MODEL_ROWS = 12;

function usdCell(value: Money | null, extra: Partial<{ style: string; attrs: Record<string, string> }> = {}) {
  return {
    html: value === null ? '—' : esc(formatUsd(value)),
    align: 'right' as const,
    style: `white-space:nowrap;${extra.style ?? ''}`,
    ...(extra.attrs ? { attrs: extra.attrs } : {}),
  };
}

function changeCell(change: Money, ratio?: number | null): CellInput {
  const sign = change > 0n ? 1 : change < 0n ? -1 : 0;
  const pct =
    ratio === undefined
      ? ''
      : ` <span style="font-size:11px;">(${esc(formatChangeRatio(ratio, change))})</span>`;
  return {
    html: `${esc(formatSignedUsd(change))}${pct}`,
    align: 'right',
    style: `white-space:nowrap;color:${signColor(true, sign)};`,
  };
}

const name = (value: string) =>
  value === UNALLOCATED ? '<em>unallocated</em>' : value === SHARED ? '<em>shared</em>' : esc(value);

function subtotalCells(label: string, s: Subtotals, style: string): CellInput[] {
  return [
    { html: label, style },
    usdCell(s.thisWeek, { style }),
    usdCell(s.lastWeek, { style }),
    changeCell(s.change),
    { html: esc(formatPct(s.share)), align: 'right', style },
    usdCell(s.monthToDate, { style }),
    usdCell(s.forecastMonthEnd, { style }),
  ];
}

function lineCells(row: ChargebackRow, label: string, split: boolean): CellInput[] {
  const magnitude = row.unallocatedShare < 0n ? (-row.unallocatedShare as Money) : row.unallocatedShare;
  const shareNote =
    split && row.unallocatedShare !== 0n
      ? `<br>${small(
          row.key.kind === 'unallocated'
            ? `${esc(formatUsd(row.direct))} untagged − ${esc(formatUsd(magnitude))} split out to the workloads`
            : `${esc(formatUsd(row.direct))} tagged ${row.unallocatedShare > 0n ? '+' : '−'} ${esc(formatUsd(magnitude))} unallocated share`,
        )}`
      : '';
  return [
    { html: `${label}${shareNote}` },
    usdCell(row.thisWeek, { attrs: { 'data-line-this-week': formatMoney(row.thisWeek) } }),
    usdCell(row.lastWeek),
    changeCell(row.change, row.changeRatio),
    { html: esc(formatPct(row.share)), align: 'right' },
    usdCell(row.monthToDate),
    usdCell(row.forecastMonthEnd),
  ];
}

function chargebackTable(d: WeeklyDigest): string {
  const split = d.split.applied;
  const rows: { cells: CellInput[]; style?: string; attrs?: Record<string, string> }[] = [];
  for (const center of d.groups) {
    rows.push({
      cells: subtotalCells(`<strong>${name(center.costCenter)}</strong>`, center, 'font-weight:bold;'),
      style: 'background:#f0f4f8;',
    });
    for (const team of center.teams) {
      rows.push({
        cells: subtotalCells(
          `<span style="padding-left:14px;">${name(team.team)}</span>`,
          team,
          'font-weight:600;',
        ),
        style: 'background:#fafbfc;',
      });
      for (const row of team.rows) {
        rows.push({
          cells: lineCells(row, `<span style="padding-left:30px;">${name(row.key.workload)}</span>`, split),
          attrs: { 'data-line': row.label },
        });
      }
    }
  }
  for (const row of d.specialRows) {
    rows.push({
      cells: lineCells(row, `<strong>${esc(row.label)}</strong>`, split),
      style: row.key.kind === 'unallocated' ? 'background:#fff8e1;' : 'background:#eef4fb;',
      attrs: { 'data-line': row.label },
    });
  }
  const t = d.totals;
  rows.push({
    cells: [
      { html: '<strong>Total</strong>' },
      usdCell(t.thisWeek, {
        style: 'font-weight:bold;',
        attrs: { 'data-total': formatMoney(t.thisWeek), id: 'total-this-week' },
      }),
      usdCell(t.lastWeek, { style: 'font-weight:bold;' }),
      changeCell(t.change, t.changeRatio),
      { html: esc(formatPct(t.share)), align: 'right', style: 'font-weight:bold;' },
      usdCell(t.monthToDate, { style: 'font-weight:bold;' }),
      usdCell(t.forecastMonthEnd, { style: 'font-weight:bold;' }),
    ],
    style: 'border-top:2px solid #1f2933;background:#f0f4f8;',
  });
  const monthLabel = d.window.month ? ` (${d.window.month})` : '';
  return table(
    [
      'Cost center / team / workload',
      'This week',
      d.window.previousFinalDays.length === 7
        ? `Last week (${d.window.previousWeek})`
        : `Last week (${d.window.previousWeek}, same ${d.window.previousFinalDays.length} days)`,
      'Change',
      'Share',
      `Month to date${monthLabel}`,
      'Forecast month end',
    ],
    rows,
    { id: 'chargeback' },
  );
}

function completeness(d: WeeklyDigest): string {
  const w = d.window;
  const asOf = w.asOf ? formatInstant(w.asOf) : 'no data';
  if (w.complete) {
    return callout(
      'ok',
      `All 7 days of ${esc(d.week)} are final (CUR data as of ${esc(asOf)}).${
        w.previousComplete
          ? ''
          : ` Last week (${esc(w.previousWeek)}) still has non-final days; its column counts final days only.`
      }`,
      { 'data-complete': 'true' },
    );
  }
  const pending = w.statuses
    .filter((s) => !s.final)
    .map((s) => `${esc(shortDay(s.day))} (final ${esc(formatInstant(s.finalAt))})`)
    .join(', ');
  return callout(
    'warn',
    `<strong>This week is not final yet:</strong> ${w.finalDays.length} of 7 days counted, as of ${esc(asOf)}. ` +
      `Not counted: ${pending}. Provisional spend already seen on those days: ${esc(formatUsd(d.pendingSpend))}. ` +
      `The last-week column sums the same ${w.previousFinalDays.length} weekday(s) of ${esc(w.previousWeek)}, so the change compares like for like. ` +
      'Figures for counted days can still change when AWS restates the month.',
    { 'data-complete': 'false' },
  );
}

function reconciliationBlock(d: WeeklyDigest): string {
  const r = d.reconciliation;
  return callout(r.ok ? 'info' : 'bad', `<strong>${esc(r.line)}</strong>`, {
    id: 'reconciliation',
    'data-total': formatMoney(r.tableTotal),
    'data-bill-total': formatMoney(r.billTotal),
    'data-difference': formatMoney(r.difference),
    'data-ok': String(r.ok),
  });
}

function moversSection(d: WeeklyDigest): string {
  if (d.movers.length === 0) return para(small('No line changed since last week.'));
  return table(
    ['Line', 'This week', 'Last week', 'Change'],
    d.movers.map((r) => ({
      cells: [esc(r.label), usdCell(r.thisWeek), usdCell(r.lastWeek), changeCell(r.change, r.changeRatio)],
    })),
  );
}

function dailyChart(d: WeeklyDigest): string {
  const { series, days } = d.daily;
  if (series.length === 0) return para(small('No spend this week.'));
  const max = days.reduce<Money>((m, day) => maxMoney(m, day.total), 0n as Money);
  const colors = series.map((s, i) => (s === OTHER_SERIES ? '#BBBBBB' : colorAt(i)));
  const rows = days.map((day) => {
    const fill = max > 0n ? moneyToNumber(day.total) / moneyToNumber(max) : 0;
    const segments = day.values.map((v, i) => ({
      fraction: day.total > 0n ? moneyToNumber(v) / moneyToNumber(day.total) : 0,
      color: colors[i]!,
      title: `${series[i]}: ${formatUsd(v)}`,
    }));
    return {
      cells: [
        {
          html: `${esc(shortDay(day.day))}${day.final ? '' : `<br>${small('pending')}`}`,
          style: 'white-space:nowrap;',
        },
        { html: stackedBar(segments, fill, 520, !day.final) },
        usdCell(day.total, { style: day.final ? '' : `color:${MUTED};font-style:italic;` }),
      ] as CellInput[],
    };
  });
  return (
    table(['Day', 'Spend by workload', 'Day total'], rows, { id: 'daily-chart' }) +
    legend(series.map((s, i) => ({ color: colors[i]!, label: s === UNALLOCATED ? 'unallocated' : s }))) +
    para(small('Pending days are drawn faded and are not in any total.'))
  );
}

function modelMix(d: WeeklyDigest): string {
  const rows = d.byModel.filter((r) => r.thisWeek !== 0n || r.lastWeek !== 0n);
  if (rows.length === 0) return para(small('No model spend this week.'));
  const positive = rows.filter((r) => r.thisWeek > 0n);
  const total = positive.reduce((n, r) => n + r.thisWeek, 0n);
  const segments = positive.map((r, i) => ({
    fraction: total > 0n ? moneyToNumber(r.thisWeek) / moneyToNumber(total as Money) : 0,
    color: colorAt(i),
    title: `${r.key}: ${formatUsd(r.thisWeek)}`,
  }));
  const colorOf = new Map(positive.map((r, i) => [r.key, colorAt(i)]));
  const shown = rows.slice(0, MAX_MODEL_ROWS);
  const body = shown.map((r) => ({
    cells: [
      `<span style="display:inline-block;width:10px;height:10px;background:${colorOf.get(r.key) ?? '#dddddd'};margin-right:6px;"></span>${esc(r.key)}`,
      esc(r.modelTier),
      { html: bar(r.share ?? 0, colorOf.get(r.key) ?? '#dddddd', 140) },
      { html: esc(formatPct(r.share)), align: 'right' },
      usdCell(r.thisWeek),
      usdCell(r.lastWeek),
      changeCell(r.change),
      { html: esc(formatTokens(r.tokens)), align: 'right' },
    ] as CellInput[],
  }));
  const more =
    rows.length > shown.length ? para(small(`…and ${rows.length - shown.length} more model(s).`)) : '';
  return (
    stackedBar(segments, 1, 720) +
    table(['Model', 'Tier', 'Share', '', 'This week', 'Last week', 'Change', 'Tokens'], body, {
      id: 'model-mix',
    }) +
    more
  );
}

function usageKinds(d: WeeklyDigest): string {
  return table(
    ['Usage kind', 'Share', '', 'This week', 'Last week', 'Change', 'Tokens'],
    d.byUsageKind.map((r, i) => ({
      cells: [
        esc(r.label),
        { html: bar(r.share ?? 0, colorAt(i), 140) },
        { html: esc(formatPct(r.share)), align: 'right' },
        usdCell(r.thisWeek),
        usdCell(r.lastWeek),
        changeCell(r.change),
        { html: r.tokens > 0 ? esc(formatTokens(r.tokens)) : '—', align: 'right' },
      ] as CellInput[],
    })),
    { id: 'usage-kinds' },
  );
}

function efficiency(d: WeeklyDigest): string {
  const p = d.premium;
  const premium = para(
    `Premium-tier share of tokens: <strong>${esc(formatPct(p.tokenShare))}</strong> (last week ${esc(formatPct(p.lastWeekTokenShare))}); ` +
      `of token spend: <strong>${esc(formatPct(p.costShare))}</strong> (last week ${esc(formatPct(p.lastWeekCostShare))}), ${esc(formatUsd(p.premiumCost))}.`,
  );
  if (d.efficiency.length === 0) return premium;
  const rows = d.efficiency.slice(0, MAX_EFFICIENCY_ROWS).map((r) => ({
    cells: [
      name(r.workload),
      usdCell(r.usageCost),
      { html: esc(formatTokens(r.tokens)), align: 'right' },
      { html: bar(r.cacheHitRate ?? 0, '#009E73', 100) },
      { html: esc(formatPct(r.cacheHitRate)), align: 'right' },
      { html: esc(formatPct(r.lastWeekCacheHitRate)), align: 'right', style: `color:${MUTED};` },
      { html: esc(formatPct(r.premiumTokenShare)), align: 'right' },
      { html: esc(formatPct(r.lastWeekPremiumTokenShare)), align: 'right', style: `color:${MUTED};` },
    ] as CellInput[],
  }));
  const more =
    d.efficiency.length > MAX_EFFICIENCY_ROWS
      ? para(small(`…and ${d.efficiency.length - MAX_EFFICIENCY_ROWS} more workload(s) in the JSON output.`))
      : '';
  return (
    premium +
    table(
      ['Workload', 'Token spend', 'Tokens', 'Cache hit rate', '', 'Last week', 'Premium share', 'Last week'],
      rows,
      { id: 'efficiency' },
    ) +
    para(
      small('Cache hit rate = cache-read tokens ÷ input-side tokens (input + cache read + cache write).'),
    ) +
    more
  );
}

function openConditionsTable(d: WeeklyDigest): string {
  if (d.openConditions.length === 0)
    return para(small('No alert condition is open at the end of this week.'));
  return table(
    ['Since', 'Age', 'Severity', 'Rule', 'Workload', 'Model', 'Last found', 'Amount', 'What'],
    d.openConditions.map((c) => ({
      cells: [
        { html: esc(shortDay(c.since)), style: 'white-space:nowrap;' },
        esc(`${c.ageDays} d`),
        esc(c.severity),
        esc(c.name),
        name(c.workload),
        esc(c.model),
        { html: esc(shortDay(c.lastFound)), style: 'white-space:nowrap;' },
        usdCell(c.amount),
        { html: esc(c.headline), style: 'font-size:12px;' },
      ] as CellInput[],
    })),
    { id: 'open-conditions' },
  );
}

function anomalies(d: WeeklyDigest): string {
  if (d.anomalies.length === 0) return para(small('No anomalies were found on the days of this week.'));
  return table(
    ['Day', 'Severity', 'Rule', 'Workload', 'Model', 'Amount', 'State', 'What'],
    d.anomalies.map((a) => ({
      cells: [
        { html: esc(shortDay(a.day)), style: 'white-space:nowrap;' },
        esc(a.severity),
        esc(a.name),
        name(a.workload),
        esc(a.model),
        usdCell(a.amount),
        esc(a.state),
        { html: esc(a.headline), style: 'font-size:12px;' },
      ] as CellInput[],
    })),
    { id: 'anomalies' },
  );
}

/** Unit economics where CloudWatch metrics were recorded, and early warnings CUR confirmed (issue 14). */
function earlyWarningSection(d: WeeklyDigest): string {
  if (!d.earlyWarning) return '';
  const { unitEconomics, confirmations } = d.earlyWarning;
  const units = table(
    ['Workload', 'Cost', 'Invocations', 'Cost / invocation', 'Tokens / invocation'],
    unitEconomics.map((u) => ({
      cells: [
        name(u.workload),
        usdCell(u.cost),
        esc(u.invocations.toLocaleString('en-US')),
        esc(u.costPerInvocation === null ? 'n/a' : formatUsd(u.costPerInvocation, 6)),
        esc(
          u.tokensPerInvocation === null ? 'n/a' : Math.round(u.tokensPerInvocation).toLocaleString('en-US'),
        ),
      ] as CellInput[],
    })),
    { id: 'unit-economics' },
  );
  const confirmed =
    confirmations.length === 0
      ? para(small('No early warning was confirmed by CUR this week.'))
      : table(
          ['Day', 'Workload', 'Paged from', 'Estimate', 'CUR', 'Estimate ÷ CUR'],
          confirmations.map((c) => ({
            cells: [
              esc(shortDay(c.day)),
              name(c.workload),
              esc(`${c.earlyHour.slice(11, 16)} UTC`),
              usdCell(parseMoney(c.estimate)),
              usdCell(parseMoney(c.cur)),
              esc(c.ratio === null ? 'n/a' : c.ratio.toFixed(3)),
            ] as CellInput[],
          })),
          { id: 'early-warnings' },
        );
  return [
    h2('Unit economics'),
    units,
    para(small('CUR cost ÷ CloudWatch invocations, over the days whose 24 hours of metrics were recorded.')),
    h2('Early warnings confirmed by CUR'),
    confirmed,
  ].join('\n');
}

/** The weekly digest as one self-contained HTML document (no script, inline styles, table-based charts). */
export function renderDigestHtml(d: WeeklyDigest): string {
  const w = d.window;
  const t = d.totals;
  const title = `Amazon Bedrock chargeback — ${d.week}`;
  const sub = `${esc(dayRange(w.days[0]!, w.days[6]!))} (UTC, Monday–Sunday) · ${d.costMetric} cost · generated ${esc(formatInstant(d.generatedAt))}`;
  const monthNote = w.asOfDay
    ? `${esc(w.month ?? '')} through ${esc(shortDay(w.asOfDay))}`
    : 'no final day yet';
  const body = [
    h1(title, sub),
    completeness(d),
    tiles([
      {
        label: 'This week',
        value: formatUsd(t.thisWeek),
        note: `${w.finalDays.length} of 7 days final`,
        data: 'this-week',
      },
      {
        label: `vs ${w.previousWeek}`,
        value: formatSignedUsd(t.change),
        note: `${esc(formatChangeRatio(t.changeRatio, t.change))} · last week ${esc(formatUsd(t.lastWeek))}`,
      },
      {
        label: 'Month to date',
        value: t.monthToDate === null ? '—' : formatUsd(t.monthToDate),
        note: monthNote,
      },
      {
        label: 'Forecast month end',
        value: t.forecastMonthEnd === null ? '—' : formatUsd(t.forecastMonthEnd),
        note: 'MTD + last 7 days’ run rate',
      },
      {
        label: 'Unallocated',
        value: formatUsd(t.unallocated),
        note: `${esc(formatPct(t.unallocatedShare))} of spend · ${esc(d.split.mode)}`,
      },
    ]),
    reconciliationBlock(d),
    h2('Chargeback', 'chargeback-heading'),
    chargebackTable(d),
    para(small(esc(d.split.note))),
    t.commitmentFees !== 0n
      ? para(
          small(
            `Commitment fees (Provisioned Throughput / Reserved tier hours): ${esc(formatUsd(t.commitmentFees))}, charged to the workload tagged on the commitment; untagged ones (${esc(formatUsd(t.sharedCommitments))}) are on the Shared commitments line.`,
          ),
        )
      : '',
    h2('Top movers'),
    moversSection(d),
    h2('Daily spend, top workloads'),
    dailyChart(d),
    h2('Model mix'),
    modelMix(d),
    h2('Spend by usage kind'),
    usageKinds(d),
    h2('Cache hit rate and premium share'),
    efficiency(d),
    h2(`Anomalies in ${d.week}`),
    anomalies(d),
    earlyWarningSection(d),
    h2('Open alert conditions'),
    openConditionsTable(d),
    h2('About these figures'),
    para(
      small(
        `Only final days count: a day is final ${esc(String(d.window.finalAfterHours))} h after it ends, measured against the newest usage in CUR, not the clock. ` +
          'Money is summed exactly from the Cost and Usage Report; the CSV attachment holds the same lines with exact decimals. ' +
          `Sources: ${d.sources.map((s) => `${esc(s.billingPeriod)} ${esc(s.sourceExport)} (snapshot ${esc(s.snapshotId)})`).join('; ') || 'none'}.`,
      ),
    ),
  ].join('\n');
  return page(title, body);
}
