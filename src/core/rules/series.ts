import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf } from '../facts/fact-filters.js';
import type { Money } from '../money.js';

/** Facts of one series (commitment fees of one commitment…) by usage day. */
type DaySeries = ReadonlyMap<string, readonly DailyFact[]>;

const NO_FACTS: readonly DailyFact[] = [];

/** Groups facts into series by `keyOf`, then by day; a null key leaves the fact out. */
export function indexSeries(
  facts: readonly DailyFact[],
  keyOf: (fact: DailyFact) => string | null,
): Map<string, Map<string, DailyFact[]>> {
  const out = new Map<string, Map<string, DailyFact[]>>();
  for (const fact of facts) {
    const key = keyOf(fact);
    if (key === null) continue;
    let byDay = out.get(key);
    if (!byDay) {
      byDay = new Map();
      out.set(key, byDay);
    }
    const list = byDay.get(fact.usageDate);
    if (list) list.push(fact);
    else byDay.set(fact.usageDate, [fact]);
  }
  return out;
}

const sortedKeyLists = new WeakMap<ReadonlyMap<string, unknown>, readonly string[]>();

/** Series keys in a stable order, so findings come out the same on every run (sorted once per index). */
export function sortedKeys<V>(map: ReadonlyMap<string, V>): readonly string[] {
  let keys = sortedKeyLists.get(map);
  if (!keys || keys.length !== map.size) {
    keys = [...map.keys()].sort();
    sortedKeyLists.set(map, keys);
  }
  return keys;
}

export function factsOn(series: DaySeries, day: string): readonly DailyFact[] {
  return series.get(day) ?? NO_FACTS;
}

export function sumCost(facts: readonly DailyFact[], metric: CostMetric): Money {
  let total = 0n;
  for (const fact of facts) total += costOf(fact, metric);
  return total as Money;
}
