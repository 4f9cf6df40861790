import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf } from '../facts/fact-filters.js';
import { absMoney, type Money, ZERO } from '../money.js';
import type { Contributor } from './finding.js';
import { medianMoney } from './stats.js';

export type ContributorDimension = Contributor['dimension'];

/** What the day is compared with: one earlier day, the median of several, or nothing (target is zero). */
export type ContributorBaseline =
  | { kind: 'day'; facts: readonly DailyFact[] }
  | { kind: 'median'; days: readonly (readonly DailyFact[])[] }
  | { kind: 'zero' };

export function dimensionValue(fact: DailyFact, dimension: ContributorDimension): string {
  switch (dimension) {
    case 'usage_kind':
      return fact.usageKind;
    case 'model':
      return fact.model;
    case 'iam_principal':
      return fact.iamPrincipal === '' ? '(no principal)' : fact.iamPrincipal;
    case 'usage_type':
      return fact.usageType;
    case 'account':
      return fact.usageAccount;
    case 'workload':
      return fact.workload;
  }
}

function sumBy(
  facts: readonly DailyFact[],
  dimension: ContributorDimension,
  metric: CostMetric,
): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const fact of facts) {
    const value = dimensionValue(fact, dimension);
    out.set(value, (out.get(value) ?? 0n) + costOf(fact, metric));
  }
  return out;
}

/** Largest |delta| first; ties keep the caller's dimension order, then value order. */
function byMagnitude(dimensions: readonly ContributorDimension[]) {
  return (a: Contributor, b: Contributor): number => {
    const da = absMoney(a.delta);
    const db = absMoney(b.delta);
    if (da !== db) return da > db ? -1 : 1;
    if (a.dimension !== b.dimension) return dimensions.indexOf(a.dimension) - dimensions.indexOf(b.dimension);
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  };
}

/**
 * The usage groups that moved most. The biggest mover of each dimension that splits the spend is taken first (in
 * the order given), so a message can say which model, which token kind and which principal; remaining slots go to
 * the largest |delta|, then to single-valued dimensions ("all of it came from role X").
 */
export function topContributors(input: {
  today: readonly DailyFact[];
  baseline: ContributorBaseline;
  dimensions: readonly ContributorDimension[];
  metric: CostMetric;
  limit?: number;
}): Contributor[] {
  const limit = input.limit ?? 3;
  const order = byMagnitude(input.dimensions);
  const perDimension: Contributor[][] = input.dimensions.map((dimension) => {
    const today = sumBy(input.today, dimension, input.metric);
    const baseline = baselineBy(input.baseline, dimension, input.metric);
    const values = new Set([...today.keys(), ...baseline.keys()]);
    const rows: Contributor[] = [];
    for (const value of values) {
      const t = (today.get(value) ?? ZERO) as Money;
      const b = (baseline.get(value) ?? ZERO) as Money;
      if (t === 0n && b === 0n) continue;
      rows.push({ dimension, value, today: t, baseline: b, delta: (t - b) as Money });
    }
    return rows.sort(order);
  });
  // A dimension with a single value only repeats the total; it fills slots after the dimensions that split.
  const splitting = perDimension.filter((rows) => rows.length > 1);
  const single = perDimension.filter((rows) => rows.length === 1).flat();
  const picked: Contributor[] = [];
  const take = (c: Contributor) => {
    if (picked.length < limit && c.delta !== 0n && !picked.includes(c)) picked.push(c);
  };
  for (const rows of splitting) if (rows[0]) take(rows[0]);
  for (const c of splitting.flat().sort(order)) take(c);
  for (const c of single) take(c);
  return picked.sort(order);
}

function baselineBy(
  baseline: ContributorBaseline,
  dimension: ContributorDimension,
  metric: CostMetric,
): Map<string, bigint> {
  if (baseline.kind === 'zero') return new Map();
  if (baseline.kind === 'day') return sumBy(baseline.facts, dimension, metric);
  const perDay = baseline.days.map((facts) => sumBy(facts, dimension, metric));
  const values = new Set(perDay.flatMap((m) => [...m.keys()]));
  const out = new Map<string, bigint>();
  for (const value of values) {
    // A day on which the value had no spend counts as zero, so a one-off value has a median of zero.
    out.set(value, medianMoney(perDay.map((m) => (m.get(value) ?? 0n) as Money)));
  }
  return out;
}
