import type { EarlyWarningState } from '../early-warning/reconcile.js';
import { type EarlyWarningDigest, earlyWarningDigest } from '../early-warning/unit-economics.js';
import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf } from '../facts/fact-filters.js';
import { type FeedbackRecord, type FeedbackSummary, summarizeFeedback } from '../interactivity/feedback.js';
import {
  absMoney,
  formatUsd,
  type Money,
  moneyToNumber,
  moneyWithin,
  RECONCILIATION_TOLERANCE,
  ZERO,
} from '../money.js';
import { isoWeekDays } from '../time/iso-week.js';
import { type Allocation, allocate, type UnallocatedMode } from './allocate.js';
import {
  type AnomalyInput,
  type OpenCondition,
  openConditions,
  type WeekAnomaly,
  weekAnomalies,
} from './anomalies.js';
import {
  compareMoneyDesc,
  type DailySeries,
  dailySpendByWorkload,
  type ModelSpendRow,
  type PremiumShare,
  premiumShare,
  type SpendRow,
  shareOf,
  spendByModel,
  spendByUsageKind,
  type WorkloadEfficiencyRow,
  workloadEfficiency,
} from './breakdowns.js';
import { type ChargebackKey, isCommitmentFee, lineLabel } from './chargeback-line.js';
import { type WeekWindow, weekWindow } from './week-window.js';

export interface DigestOptions {
  unallocated: UnallocatedMode;
  /** Workloads drawn as their own series in the daily chart. */
  topWorkloads: number;
  topMovers: number;
  costMetric: CostMetric;
  finalAfterHours: number;
}

export interface BuildDigestInput {
  week: string;
  /** At least the days of `digestFactRange(week)`; extra days are ignored. */
  facts: readonly DailyFact[];
  newestUsageHour: Date | null;
  now: Date;
  options: DigestOptions;
  anomalies?: readonly AnomalyInput[] | undefined;
  /** Early-warning state (issue 14): unit economics where metrics exist, and estimate ÷ CUR. */
  earlyWarning?: EarlyWarningState | undefined;
  /** "Not an anomaly" feedback from Slack (issue 12); counted for the week's days. */
  feedback?: readonly FeedbackRecord[] | undefined;
}

export interface ChargebackRow {
  key: ChargebackKey;
  label: string;
  /** This week's spend by tags, before the unallocated split. */
  direct: Money;
  /** This week's part of the unallocated spend (split mode); negative on the unallocated line. */
  unallocatedShare: Money;
  /** What the line is charged this week: direct + unallocatedShare. */
  thisWeek: Money;
  lastWeek: Money;
  change: Money;
  /** change ÷ last week; null when last week was zero. */
  changeRatio: number | null;
  /** This week ÷ the week's total. */
  share: number | null;
  /** Month of `asOfDay`, 1st through asOfDay; null when no day of the week is final. */
  monthToDate: Money | null;
  /** monthToDate + (last 7 final days ÷ 7) × days left in the month. */
  forecastMonthEnd: Money | null;
}

export interface Subtotals {
  thisWeek: Money;
  lastWeek: Money;
  change: Money;
  share: number | null;
  monthToDate: Money | null;
  forecastMonthEnd: Money | null;
}

export interface TeamGroup extends Subtotals {
  team: string;
  rows: ChargebackRow[];
}

export interface CostCenterGroup extends Subtotals {
  costCenter: string;
  teams: TeamGroup[];
}

export interface Reconciliation {
  /** Σ chargeback lines this week. */
  tableTotal: Money;
  /** Σ Bedrock fact cost on the week's final days, summed straight from the facts. */
  billTotal: Money;
  difference: Money;
  tolerance: Money;
  ok: boolean;
  /** "Total $X = Σ Bedrock cost for 2026-W23 $X — difference $0.000000" */
  line: string;
}

export interface SplitSummary {
  mode: UnallocatedMode;
  /** Unallocated spend this week, before any split. */
  amount: Money;
  applied: boolean;
  recipients: number;
  note: string;
}

export interface SourceSnapshot {
  billingPeriod: string;
  sourceExport: string;
  snapshotId: string;
}

export interface WeeklyDigest {
  kind: 'weekly-digest';
  week: string;
  generatedAt: string;
  costMetric: CostMetric;
  window: WeekWindow;
  /** Provisional spend already seen on pending days: shown, never counted. */
  pendingSpend: Money;
  totals: Subtotals & {
    changeRatio: number | null;
    unallocated: Money;
    unallocatedShare: number | null;
    commitmentFees: Money;
    sharedCommitments: Money;
  };
  split: SplitSummary;
  chargeback: ChargebackRow[];
  groups: CostCenterGroup[];
  /** Unallocated and shared-commitments lines, shown after the cost centers. */
  specialRows: ChargebackRow[];
  movers: ChargebackRow[];
  byModel: ModelSpendRow[];
  byUsageKind: SpendRow[];
  efficiency: WorkloadEfficiencyRow[];
  premium: PremiumShare;
  daily: DailySeries;
  anomalies: WeekAnomaly[];
  /** Alert conditions still firing at the week's last final day, with their age. */
  openConditions: OpenCondition[];
  /** Feedback given during the week; absent when there was none (so digests without it are unchanged). */
  feedback?: FeedbackSummary | undefined;
  reconciliation: Reconciliation;
  sources: SourceSnapshot[];
  /**
   * Cost and tokens per invocation where CloudWatch metrics were recorded; early warnings CUR confirmed. Absent
   * when the week has neither (the digest of a deployment without the early warning is unchanged).
   */
  earlyWarning?: EarlyWarningDigest;
}

function feedbackOf(input: BuildDigestInput): { feedback?: FeedbackSummary } {
  if (!input.feedback) return {};
  const summary = summarizeFeedback(input.feedback, isoWeekDays(input.week));
  return summary.notAnomaly > 0 ? { feedback: summary } : {};
}

function onDays(facts: readonly DailyFact[], days: readonly string[]): DailyFact[] {
  const set = new Set(days);
  return facts.filter((f) => set.has(f.usageDate));
}

function lineTotal(allocation: Allocation | null, id: string): Money {
  return allocation?.lines.get(id)?.total ?? ZERO;
}

function sum(values: readonly Money[]): Money {
  return values.reduce((a, b) => a + b, 0n) as Money;
}

function sumNullable(values: readonly (Money | null)[]): Money | null {
  return values.some((v) => v === null) ? null : sum(values as Money[]);
}

function earlyWarningOf(
  state: EarlyWarningState | undefined,
  facts: readonly DailyFact[],
  days: readonly string[],
): { earlyWarning?: EarlyWarningDigest } {
  if (!state) return {};
  const section = earlyWarningDigest({ state, facts, days });
  return section.unitEconomics.length > 0 || section.confirmations.length > 0
    ? { earlyWarning: section }
    : {};
}

/**
 * The weekly chargeback digest, pure: chargeback lines (cost center → team → workload) with this week, last
 * week, change, share, month to date and a run-rate forecast; movers; model and usage-kind mix; cache hit
 * rate and premium share per workload; the week's anomalies; and the reconciliation of the table against Σ
 * Bedrock cost. Only final days count; pending days are listed with the time they become final.
 */
export function buildWeeklyDigest(input: BuildDigestInput): WeeklyDigest {
  const { options } = input;
  const metric = options.costMetric;
  const window = weekWindow(input.week, input.newestUsageHour, options.finalAfterHours);
  const weekFacts = onDays(input.facts, window.days);
  const thisWeekFacts = onDays(input.facts, window.finalDays);
  const lastWeekFacts = onDays(input.facts, window.previousFinalDays);
  const monthFacts = onDays(input.facts, window.monthDays);
  const trailingFacts = onDays(input.facts, window.trailingDays);

  const thisWeek = allocate(thisWeekFacts, options.unallocated, metric);
  const lastWeek = allocate(lastWeekFacts, options.unallocated, metric);
  const month = window.asOfDay ? allocate(monthFacts, options.unallocated, metric) : null;
  const trailing = window.asOfDay ? allocate(trailingFacts, options.unallocated, metric) : null;

  const rows = chargebackRows(thisWeek, lastWeek, month, trailing, BigInt(window.remainingDaysInMonth));

  const groups = groupRows(
    rows.filter((r) => r.key.kind === 'workload'),
    thisWeek.total,
  );
  const specialRows = rows
    .filter((r) => r.key.kind !== 'workload')
    .sort((a, b) => (a.key.kind === 'unallocated' ? -1 : b.key.kind === 'unallocated' ? 1 : 0));
  const chargeback = [...groups.flatMap((g) => g.teams.flatMap((t) => t.rows)), ...specialRows];

  const tableTotal = sum(chargeback.map((r) => r.thisWeek));
  const billTotal = sum(thisWeekFacts.map((f) => costOf(f, metric)));
  const lastWeekTotal = sum(chargeback.map((r) => r.lastWeek));
  const reconciliation = reconcileTable(tableTotal, billTotal, input.week);

  const workloadRows = chargeback.filter((r) => r.key.kind === 'workload');
  const split: SplitSummary = {
    mode: options.unallocated,
    amount: thisWeek.unallocated,
    applied: thisWeek.split,
    recipients: workloadRows.filter((r) => r.unallocatedShare !== 0n).length,
    note: splitNote(options.unallocated, thisWeek, workloadRows.length),
  };

  const commitmentFees = sum(thisWeekFacts.filter(isCommitmentFee).map((f) => costOf(f, metric)));
  const sharedCommitments = specialRows.find((r) => r.key.kind === 'shared-commitments')?.direct ?? ZERO;
  const movers = rows
    .filter((r) => r.change !== 0n)
    .sort((a, b) => compareMoneyDesc(absMoney(a.change), absMoney(b.change)) || (a.label < b.label ? -1 : 1))
    .slice(0, options.topMovers);

  return {
    kind: 'weekly-digest',
    week: input.week,
    generatedAt: input.now.toISOString(),
    costMetric: metric,
    window,
    pendingSpend: sum(onDays(input.facts, window.pendingDays).map((f) => costOf(f, metric))),
    totals: {
      thisWeek: tableTotal,
      lastWeek: lastWeekTotal,
      change: (tableTotal - lastWeekTotal) as Money,
      changeRatio:
        lastWeekTotal === 0n
          ? null
          : moneyToNumber((tableTotal - lastWeekTotal) as Money) / moneyToNumber(lastWeekTotal),
      share: tableTotal === 0n ? null : 1,
      monthToDate: month ? sum(chargeback.map((r) => r.monthToDate ?? ZERO)) : null,
      forecastMonthEnd: month ? sumNullable(chargeback.map((r) => r.forecastMonthEnd)) : null,
      unallocated: thisWeek.unallocated,
      unallocatedShare: shareOf(thisWeek.unallocated, thisWeek.total),
      commitmentFees,
      sharedCommitments,
    },
    split,
    chargeback,
    groups,
    specialRows,
    movers,
    byModel: spendByModel(thisWeekFacts, lastWeekFacts, metric),
    byUsageKind: spendByUsageKind(thisWeekFacts, lastWeekFacts, metric),
    efficiency: workloadEfficiency(thisWeekFacts, lastWeekFacts, metric),
    premium: premiumShare(thisWeekFacts, lastWeekFacts, metric),
    daily: dailySpendByWorkload(
      weekFacts,
      window.statuses,
      new Set(window.finalDays),
      options.topWorkloads,
      metric,
    ),
    anomalies: weekAnomalies(input.anomalies ?? [], window.days),
    openConditions: openConditions(input.anomalies ?? [], window.days, window.asOfDay),
    ...feedbackOf(input),
    reconciliation,
    sources: sourcesOf(onDays(input.facts, [...window.previousDays, ...window.days])),
    ...earlyWarningOf(input.earlyWarning, weekFacts, window.days),
  };
}

/** One row per chargeback line of this week, last week or the month: totals, change, share, forecast. */
function chargebackRows(
  thisWeek: Allocation,
  lastWeek: Allocation,
  month: Allocation | null,
  trailing: Allocation | null,
  remaining: bigint,
): ChargebackRow[] {
  const keys = new Map<string, ChargebackKey>();
  for (const allocation of [thisWeek, lastWeek, month]) {
    for (const [id, line] of allocation?.lines ?? []) keys.set(id, line.key);
  }
  return [...keys.entries()].map(([id, key]): ChargebackRow => {
    const own = thisWeek.lines.get(id);
    const now = own?.total ?? ZERO;
    const before = lineTotal(lastWeek, id);
    const mtd = month ? lineTotal(month, id) : null;
    const forecast =
      mtd === null || trailing === null
        ? null
        : ((mtd + (lineTotal(trailing, id) * remaining) / 7n) as Money);
    return {
      key,
      label: lineLabel(key),
      direct: own?.direct ?? ZERO,
      unallocatedShare: own?.unallocatedShare ?? ZERO,
      thisWeek: now,
      lastWeek: before,
      change: (now - before) as Money,
      changeRatio: before === 0n ? null : moneyToNumber((now - before) as Money) / moneyToNumber(before),
      share: shareOf(now, thisWeek.total),
      monthToDate: mtd,
      forecastMonthEnd: forecast,
    };
  });
}

/** The digest table checked against the bill: exact difference, tolerance and the line that says it. */
function reconcileTable(tableTotal: Money, billTotal: Money, week: string): Reconciliation {
  const difference = (tableTotal - billTotal) as Money;
  const ok = moneyWithin(tableTotal, billTotal, RECONCILIATION_TOLERANCE);
  return {
    tableTotal,
    billTotal,
    difference,
    tolerance: RECONCILIATION_TOLERANCE,
    ok,
    line: `Total ${formatUsd(tableTotal)} = Σ Bedrock cost for ${week} ${formatUsd(billTotal)} — difference ${formatUsd(absMoney(difference), 6)}${ok ? '' : ' (MISMATCH)'}`,
  };
}

function splitNote(mode: UnallocatedMode, allocation: Allocation, workloads: number): string {
  const amount = formatUsd(allocation.unallocated);
  if (allocation.unallocated === 0n) return 'No unallocated spend this week.';
  if (mode === 'leave')
    return `${amount} of untagged spend is left on the Unallocated line (digest.unallocated: leave).`;
  if (!allocation.split)
    return `${amount} of untagged spend could not be split: no workload had positive spend.`;
  return `${amount} of untagged spend is split across ${workloads} workload line(s) in proportion to their allocated spend (digest.unallocated: split); the Unallocated line nets to $0.00.`;
}

function subtotals(rows: readonly ChargebackRow[], total: Money): Subtotals {
  const thisWeek = sum(rows.map((r) => r.thisWeek));
  const lastWeek = sum(rows.map((r) => r.lastWeek));
  return {
    thisWeek,
    lastWeek,
    change: (thisWeek - lastWeek) as Money,
    share: shareOf(thisWeek, total),
    monthToDate: sumNullable(rows.map((r) => r.monthToDate)),
    forecastMonthEnd: sumNullable(rows.map((r) => r.forecastMonthEnd)),
  };
}

function byWeekDesc<T extends { thisWeek: Money; lastWeek: Money }>(name: (t: T) => string) {
  return (a: T, b: T) =>
    compareMoneyDesc(a.thisWeek, b.thisWeek) ||
    compareMoneyDesc(a.lastWeek, b.lastWeek) ||
    (name(a) < name(b) ? -1 : name(a) > name(b) ? 1 : 0);
}

/** Cost center → team → workload, each level largest this week first. */
function groupRows(rows: readonly ChargebackRow[], total: Money): CostCenterGroup[] {
  const centers = new Map<string, Map<string, ChargebackRow[]>>();
  for (const row of rows) {
    const teams = centers.get(row.key.costCenter) ?? new Map<string, ChargebackRow[]>();
    centers.set(row.key.costCenter, teams);
    const list = teams.get(row.key.team) ?? [];
    teams.set(row.key.team, list);
    list.push(row);
  }
  return [...centers.entries()]
    .map(([costCenter, teams]) => {
      const teamGroups = [...teams.entries()]
        .map(([team, list]) => ({
          team,
          ...subtotals(list, total),
          rows: [...list].sort(byWeekDesc((r: ChargebackRow) => r.key.workload)),
        }))
        .sort(byWeekDesc((t: TeamGroup) => t.team));
      return {
        costCenter,
        ...subtotals(
          teamGroups.flatMap((t) => t.rows),
          total,
        ),
        teams: teamGroups,
      };
    })
    .sort(byWeekDesc((c: CostCenterGroup) => c.costCenter));
}

function sourcesOf(facts: readonly DailyFact[]): SourceSnapshot[] {
  const seen = new Map<string, SourceSnapshot>();
  for (const f of facts) {
    const id = `${f.billingPeriod}|${f.sourceExport}|${f.snapshotId}`;
    if (!seen.has(id))
      seen.set(id, {
        billingPeriod: f.billingPeriod,
        sourceExport: f.sourceExport,
        snapshotId: f.snapshotId,
      });
  }
  return [...seen.values()].sort((a, b) =>
    a.billingPeriod === b.billingPeriod
      ? a.sourceExport < b.sourceExport
        ? -1
        : 1
      : a.billingPeriod < b.billingPeriod
        ? -1
        : 1,
  );
}
