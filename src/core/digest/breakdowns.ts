import type { DailyFact, UsageKind } from '../facts/daily-fact.js';
import {
  type CostMetric,
  costOf,
  INPUT_SIDE_USAGE_KINDS,
  isUsageFact,
  TOKEN_USAGE_KINDS,
} from '../facts/fact-filters.js';
import { type Money, moneyToNumber, ZERO } from '../money.js';

export const DIGEST_USAGE_KINDS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'provisioned',
  'other',
] as const;
/** How finance reads a bill: the two cache-write durations are one kind, PT and Reserved hours are one. */
export type DigestUsageKind = (typeof DIGEST_USAGE_KINDS)[number];

export const USAGE_KIND_LABELS: Readonly<Record<DigestUsageKind, string>> = {
  input: 'Input tokens',
  output: 'Output tokens',
  cache_read: 'Cache read',
  cache_write: 'Cache write',
  provisioned: 'Provisioned / Reserved hours',
  other: 'Other (features, fees, tax, credits)',
};

export function digestUsageKindOf(kind: UsageKind): DigestUsageKind {
  switch (kind) {
    case 'input':
    case 'output':
    case 'cache_read':
      return kind;
    case 'cache_write':
    case 'cache_write_30m':
    case 'cache_write_1h':
      return 'cache_write';
    case 'provisioned_hours':
    case 'reserved_hours':
      return 'provisioned';
    default:
      return 'other';
  }
}

/** part ÷ whole for display; null when the whole is zero. */
export function shareOf(part: Money, whole: Money): number | null {
  return whole === 0n ? null : moneyToNumber(part) / moneyToNumber(whole);
}

export interface SpendRow {
  key: string;
  label: string;
  thisWeek: Money;
  lastWeek: Money;
  change: Money;
  share: number | null;
  /** Tokens this week (0 for commitment hours and other charges). */
  tokens: number;
}

function spendRows(
  thisWeek: readonly DailyFact[],
  lastWeek: readonly DailyFact[],
  metric: CostMetric,
  keyOf: (f: DailyFact) => string,
  labelOf: (key: string) => string,
): SpendRow[] {
  const rows = new Map<string, { thisWeek: bigint; lastWeek: bigint; tokens: number }>();
  const row = (key: string) => {
    let r = rows.get(key);
    if (!r) {
      r = { thisWeek: 0n, lastWeek: 0n, tokens: 0 };
      rows.set(key, r);
    }
    return r;
  };
  let total = 0n;
  for (const f of thisWeek) {
    const r = row(keyOf(f));
    r.thisWeek += costOf(f, metric);
    if (TOKEN_USAGE_KINDS.has(f.usageKind)) r.tokens += f.tokens;
    total += costOf(f, metric);
  }
  for (const f of lastWeek) row(keyOf(f)).lastWeek += costOf(f, metric);
  return [...rows.entries()]
    .map(([key, r]) => ({
      key,
      label: labelOf(key),
      thisWeek: r.thisWeek as Money,
      lastWeek: r.lastWeek as Money,
      change: (r.thisWeek - r.lastWeek) as Money,
      share: shareOf(r.thisWeek as Money, total as Money),
      tokens: r.tokens,
    }))
    .sort(
      (a, b) =>
        compareMoneyDesc(a.thisWeek, b.thisWeek) ||
        compareMoneyDesc(a.lastWeek, b.lastWeek) ||
        (a.key < b.key ? -1 : 1),
    );
}

export function compareMoneyDesc(a: Money, b: Money): number {
  return a === b ? 0 : a > b ? -1 : 1;
}

export interface ModelSpendRow extends SpendRow {
  modelTier: string;
}

export function spendByModel(
  thisWeek: readonly DailyFact[],
  lastWeek: readonly DailyFact[],
  metric: CostMetric,
): ModelSpendRow[] {
  const tiers = new Map<string, string>();
  for (const f of [...lastWeek, ...thisWeek]) tiers.set(f.model, f.modelTier);
  return spendRows(
    thisWeek,
    lastWeek,
    metric,
    (f) => f.model,
    (k) => k,
  ).map((r) => ({
    ...r,
    modelTier: tiers.get(r.key) ?? 'unknown',
  }));
}

/** Every digest usage kind, in a fixed order, zero rows included, so weeks compare line by line. */
export function spendByUsageKind(
  thisWeek: readonly DailyFact[],
  lastWeek: readonly DailyFact[],
  metric: CostMetric,
): SpendRow[] {
  const rows = spendRows(
    thisWeek,
    lastWeek,
    metric,
    (f) => digestUsageKindOf(f.usageKind),
    (k) => USAGE_KIND_LABELS[k as DigestUsageKind],
  );
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const total = rows.reduce((n, r) => n + r.thisWeek, 0n) as Money;
  return DIGEST_USAGE_KINDS.map(
    (kind) =>
      byKey.get(kind) ?? {
        key: kind,
        label: USAGE_KIND_LABELS[kind],
        thisWeek: ZERO,
        lastWeek: ZERO,
        change: ZERO,
        share: shareOf(ZERO, total),
        tokens: 0,
      },
  );
}

interface TokenMix {
  inputSide: number;
  cacheRead: number;
  tokens: number;
  premiumTokens: number;
  usageCost: bigint;
  premiumCost: bigint;
}

function tokenMix(facts: readonly DailyFact[], metric: CostMetric, keyOf: (f: DailyFact) => string) {
  const out = new Map<string, TokenMix>();
  for (const f of facts) {
    if (!isUsageFact(f) || !TOKEN_USAGE_KINDS.has(f.usageKind)) continue;
    const key = keyOf(f);
    let m = out.get(key);
    if (!m) {
      m = { inputSide: 0, cacheRead: 0, tokens: 0, premiumTokens: 0, usageCost: 0n, premiumCost: 0n };
      out.set(key, m);
    }
    if (INPUT_SIDE_USAGE_KINDS.has(f.usageKind)) m.inputSide += f.tokens;
    if (f.usageKind === 'cache_read') m.cacheRead += f.tokens;
    m.tokens += f.tokens;
    m.usageCost += costOf(f, metric);
    if (f.modelTier === 'premium') {
      m.premiumTokens += f.tokens;
      m.premiumCost += costOf(f, metric);
    }
  }
  return out;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export interface WorkloadEfficiencyRow {
  workload: string;
  /** Token usage cost this week (commitment fees excluded). */
  usageCost: Money;
  tokens: number;
  inputSideTokens: number;
  cacheReadTokens: number;
  /** cache read ÷ input-side tokens (input + cache read + cache write); null without input-side tokens. */
  cacheHitRate: number | null;
  lastWeekCacheHitRate: number | null;
  /** Premium-tier (opus-like) share of the workload's tokens. */
  premiumTokenShare: number | null;
  lastWeekPremiumTokenShare: number | null;
}

export function workloadEfficiency(
  thisWeek: readonly DailyFact[],
  lastWeek: readonly DailyFact[],
  metric: CostMetric,
): WorkloadEfficiencyRow[] {
  const now = tokenMix(thisWeek, metric, (f) => f.workload);
  const before = tokenMix(lastWeek, metric, (f) => f.workload);
  return [...now.entries()]
    .map(([workload, m]) => {
      const b = before.get(workload);
      return {
        workload,
        usageCost: m.usageCost as Money,
        tokens: m.tokens,
        inputSideTokens: m.inputSide,
        cacheReadTokens: m.cacheRead,
        cacheHitRate: ratio(m.cacheRead, m.inputSide),
        lastWeekCacheHitRate: b ? ratio(b.cacheRead, b.inputSide) : null,
        premiumTokenShare: ratio(m.premiumTokens, m.tokens),
        lastWeekPremiumTokenShare: b ? ratio(b.premiumTokens, b.tokens) : null,
      };
    })
    .sort((a, b) => compareMoneyDesc(a.usageCost, b.usageCost) || (a.workload < b.workload ? -1 : 1));
}

export interface PremiumShare {
  tokenShare: number | null;
  costShare: number | null;
  lastWeekTokenShare: number | null;
  lastWeekCostShare: number | null;
  premiumCost: Money;
}

/** Premium-tier share of all token usage (tokens and cost); commitment hours are not tokens and are left out. */
export function premiumShare(
  thisWeek: readonly DailyFact[],
  lastWeek: readonly DailyFact[],
  metric: CostMetric,
): PremiumShare {
  const all = (facts: readonly DailyFact[]) => tokenMix(facts, metric, () => 'all').get('all');
  const now = all(thisWeek);
  const before = all(lastWeek);
  const costShare = (m: TokenMix | undefined) =>
    m ? shareOf(m.premiumCost as Money, m.usageCost as Money) : null;
  return {
    tokenShare: now ? ratio(now.premiumTokens, now.tokens) : null,
    costShare: costShare(now),
    lastWeekTokenShare: before ? ratio(before.premiumTokens, before.tokens) : null,
    lastWeekCostShare: costShare(before),
    premiumCost: (now?.premiumCost ?? 0n) as Money,
  };
}

export const OTHER_SERIES = '(other workloads)';

export interface DailySeries {
  /** Top workloads by this week's spend, then OTHER_SERIES when anything is left over. */
  series: string[];
  days: { day: string; final: boolean; values: Money[]; total: Money }[];
}

/**
 * Spend per day for the week's top workloads (by fact workload, `__unallocated__` included as itself), for
 * the daily chart. Pending days carry their provisional spend and are flagged; they are not in the totals.
 */
export function dailySpendByWorkload(
  weekFacts: readonly DailyFact[],
  statuses: readonly { day: string; final: boolean }[],
  finalDays: ReadonlySet<string>,
  top: number,
  metric: CostMetric,
): DailySeries {
  const byWorkload = new Map<string, bigint>();
  for (const f of weekFacts) {
    if (!finalDays.has(f.usageDate)) continue;
    byWorkload.set(f.workload, (byWorkload.get(f.workload) ?? 0n) + costOf(f, metric));
  }
  const ranked = [...byWorkload.entries()]
    .sort(([ka, a], [kb, b]) => (a === b ? (ka < kb ? -1 : 1) : a > b ? -1 : 1))
    .map(([k]) => k);
  const chosen = ranked.slice(0, top);
  const allWorkloads = new Set(weekFacts.map((f) => f.workload));
  const hasOther = [...allWorkloads].some((w) => !chosen.includes(w));
  const series = hasOther ? [...chosen, OTHER_SERIES] : chosen;
  const index = new Map(chosen.map((w, i) => [w, i]));
  const days = statuses.map(({ day, final }) => {
    const values = series.map(() => 0n);
    for (const f of weekFacts) {
      if (f.usageDate !== day) continue;
      const i = index.get(f.workload) ?? series.length - 1;
      values[i]! += costOf(f, metric);
    }
    return {
      day,
      final,
      values: values as Money[],
      total: values.reduce((a, b) => a + b, 0n) as Money,
    };
  });
  return { series, days };
}
