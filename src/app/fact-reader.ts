import type { DailyFact } from '../core/facts/daily-fact.js';
import { type DetailRequest, factDetail } from '../core/rules/fact-detail.js';
import { ruleSeriesFromFacts } from '../core/rules/rule-series.js';
import type { DayWindow, FactReader, FactStore } from './ports/ingest.js';

/**
 * Runs `work` over the store's fact reader: the store's own (SQL series, one engine session) when it has one,
 * else one built from `read`, with the same series built in TypeScript (in-memory stores, tests).
 */
export function withFactReader<T>(store: FactStore, work: (reader: FactReader) => Promise<T>): Promise<T> {
  if (store.withReader) return store.withReader(work);
  let window: DailyFact[] = [];
  return work({
    read: (query) => store.read(query),
    async ruleSeries(days: DayWindow) {
      window = await store.read(days);
      return ruleSeriesFromFacts(window, { firstDay: days.from, lastDay: days.to });
    },
    async detail(requests: readonly DetailRequest[]) {
      const detail = factDetail(window);
      const seen = new Set<DailyFact>();
      for (const { scope, day } of requests) for (const fact of detail.facts(scope, day)) seen.add(fact);
      return window.filter((f) => seen.has(f));
    },
    // Without an engine the facts themselves are the rows: the same sums over more of them.
    rollup: (query) => store.read(query),
  });
}
