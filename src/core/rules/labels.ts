import type { DailyFact } from '../facts/daily-fact.js';
import type { CostMetric } from '../facts/fact-filters.js';
import { costOf } from '../facts/fact-filters.js';
import { absMoney } from '../money.js';
import type { FindingLabels } from './finding.js';

/** Label value for "more than one, none dominant". */
export const ANY = '*';

/**
 * The value that carries most of the cost, when it carries at least half of it; otherwise `*`. A workload that
 * splits evenly across two teams or accounts is labelled `*` rather than routed to whichever happened to be larger
 * today, so its fingerprint does not flip between runs.
 */
export function dominantValue(
  facts: readonly DailyFact[],
  labelOf: (fact: DailyFact) => string,
  metric: CostMetric,
): string {
  const weights = new Map<string, bigint>();
  let total = 0n;
  let count = 0;
  for (const fact of facts) {
    const value = labelOf(fact);
    const weight = absMoney(costOf(fact, metric));
    weights.set(value, (weights.get(value) ?? 0n) + weight);
    total += weight;
    count += 1;
  }
  if (weights.size === 0) return ANY;
  if (weights.size === 1) return [...weights.keys()][0]!;
  // With no cost at all, fall back to counting rows so zero-cost series still get labels.
  const useCount = total === 0n;
  const tallies = useCount ? countValues(facts, labelOf) : weights;
  const denominator = useCount ? BigInt(count) : total;
  const ranked = [...tallies.entries()].sort((a, b) =>
    a[1] === b[1] ? (a[0] < b[0] ? -1 : 1) : a[1] > b[1] ? -1 : 1,
  );
  const [topValue, topWeight] = ranked[0]!;
  return topWeight * 2n >= denominator ? topValue : ANY;
}

function countValues(facts: readonly DailyFact[], labelOf: (fact: DailyFact) => string): Map<string, bigint> {
  const counts = new Map<string, bigint>();
  for (const fact of facts) counts.set(labelOf(fact), (counts.get(labelOf(fact)) ?? 0n) + 1n);
  return counts;
}

/** Routing labels for a finding about `facts`; `workload` and `model` are given by the rule. */
export function labelsFor(
  facts: readonly DailyFact[],
  metric: CostMetric,
  fixed: { workload: string; model: string } & Partial<FindingLabels>,
): FindingLabels {
  return {
    team: dominantValue(facts, (f) => f.team, metric),
    cost_center: dominantValue(facts, (f) => f.costCenter, metric),
    account: dominantValue(facts, (f) => f.usageAccount, metric),
    environment: dominantValue(facts, (f) => f.environment, metric),
    ...fixed,
  };
}
