import { type Money, sumMoney } from '../money.js';
import type { DailyFact } from './daily-fact.js';
import { type FactColumn, factColumn, GROUPABLE_COLUMNS } from './fact-schema.js';

export interface FactSummaryRow {
  keys: Record<string, string>;
  costUnblended: Money;
  costNet: Money;
  tokens: number;
  lineItems: number;
  facts: number;
}

/** Sums facts by the named columns (exact money), largest cost first. */
export function summarizeFacts(facts: readonly DailyFact[], by: readonly string[]): FactSummaryRow[] {
  const columns = by.map(resolveGroupColumn);
  const groups = new Map<string, DailyFact[]>();
  for (const fact of facts) {
    const key = JSON.stringify(columns.map((c) => String(fact[c.field])));
    const list = groups.get(key);
    if (list) list.push(fact);
    else groups.set(key, [fact]);
  }
  const rows = [...groups.values()].map((group) => {
    const first = group[0]!;
    return {
      keys: Object.fromEntries(columns.map((c) => [c.name, String(first[c.field])])),
      costUnblended: sumMoney(group.map((f) => f.costUnblended)),
      costNet: sumMoney(group.map((f) => f.costNet)),
      tokens: group.reduce((n, f) => n + f.tokens, 0),
      lineItems: group.reduce((n, f) => n + f.lineItems, 0),
      facts: group.length,
    };
  });
  return rows.sort((a, b) => {
    if (a.costUnblended !== b.costUnblended) return a.costUnblended > b.costUnblended ? -1 : 1;
    const ka = JSON.stringify(a.keys);
    const kb = JSON.stringify(b.keys);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  });
}

function resolveGroupColumn(name: string): FactColumn {
  const column = factColumn(name);
  if (!column || !GROUPABLE_COLUMNS.includes(name)) {
    throw new RangeError(`cannot group by "${name}"; columns: ${GROUPABLE_COLUMNS.join(', ')}`);
  }
  return column;
}
