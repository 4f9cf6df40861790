import type { DailyFact } from '../facts/daily-fact.js';
import { tupleKey } from '../keys.js';

/**
 * The fact columns a rule may ask detail by, with their stored (SQL) names. Rules judge series; only for a
 * finding or a learning note do they read the facts behind one series on one day, for its labels (dominant team,
 * account…) and its contributors.
 */
export const DETAIL_FIELDS = {
  workload: 'workload',
  model: 'model',
  usageAccount: 'usage_account',
  region: 'region',
} as const satisfies Partial<Record<keyof DailyFact, string>>;

export type DetailField = keyof typeof DETAIL_FIELDS;
export type DetailScope = Partial<Record<DetailField, string>>;
export interface DetailRequest {
  scope: DetailScope;
  day: string;
}

/** The facts behind a series on a day: every fact of `day` whose fields equal the scope's. */
export interface FactDetail {
  facts(scope: DetailScope, day: string): readonly DailyFact[];
}

const NONE: readonly DailyFact[] = [];
const FIELD_ORDER = Object.keys(DETAIL_FIELDS) as DetailField[];

function shapeOf(scope: DetailScope): DetailField[] {
  return FIELD_ORDER.filter((f) => scope[f] !== undefined);
}

function keyOf(values: readonly string[], day: string): string {
  return tupleKey([...values, day]);
}

/**
 * A detail source that answers nothing and remembers every question: the first pass of an evaluation, which
 * finds out which series-days need their facts.
 */
export function recordingDetail(): FactDetail & { requests(): DetailRequest[] } {
  const seen = new Map<string, DetailRequest>();
  return {
    facts(scope, day) {
      const shape = shapeOf(scope);
      const key = `${shape.join(',')}|${keyOf(
        shape.map((f) => scope[f]!),
        day,
      )}`;
      if (!seen.has(key)) seen.set(key, { scope: { ...scope }, day });
      return NONE;
    },
    requests: () => [...seen.values()],
  };
}

/** Detail answered from facts in memory (the facts a store returned for the recorded requests, or all facts). */
export function factDetail(facts: readonly DailyFact[]): FactDetail {
  const indexes = new Map<string, Map<string, DailyFact[]>>();
  const indexFor = (shape: readonly DetailField[]) => {
    const name = shape.join(',');
    let index = indexes.get(name);
    if (!index) {
      index = new Map();
      for (const fact of facts) {
        const key = keyOf(
          shape.map((f) => fact[f]),
          fact.usageDate,
        );
        const list = index.get(key);
        if (list) list.push(fact);
        else index.set(key, [fact]);
      }
      indexes.set(name, index);
    }
    return index;
  };
  return {
    facts(scope, day) {
      const shape = shapeOf(scope);
      return (
        indexFor(shape).get(
          keyOf(
            shape.map((f) => scope[f]!),
            day,
          ),
        ) ?? NONE
      );
    },
  };
}
