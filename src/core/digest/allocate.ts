import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf } from '../facts/fact-filters.js';
import { type Money, ZERO } from '../money.js';
import { apportion } from './apportion.js';
import { type ChargebackKey, chargebackId, chargebackKeyOf } from './chargeback-line.js';

export const UNALLOCATED_MODES = ['leave', 'split'] as const;
/** `leave`: unallocated spend stays on its own line; `split`: spread over workloads by their allocated spend. */
export type UnallocatedMode = (typeof UNALLOCATED_MODES)[number];

export interface AllocatedLine {
  key: ChargebackKey;
  /** Spend attributed to the line by tags (and, for commitments, by the commitment's tag). */
  direct: Money;
  /** Its part of the unallocated spend (split mode); the unallocated line carries the negated sum. */
  unallocatedShare: Money;
  /** direct + unallocatedShare: what the line is charged. */
  total: Money;
}

export interface Allocation {
  lines: Map<string, AllocatedLine>;
  /** Σ unallocated spend in the period (before any split). */
  unallocated: Money;
  /** True when the unallocated spend was spread; false in leave mode or when no workload had spend. */
  split: boolean;
  total: Money;
}

/**
 * Sums a period's facts onto chargeback lines and applies the unallocated mode. Exact: Σ line totals equals Σ
 * fact cost for the period, because the split is a largest-remainder apportionment in 1e-15 USD units.
 */
export function allocate(facts: readonly DailyFact[], mode: UnallocatedMode, metric: CostMetric): Allocation {
  const lines = new Map<string, AllocatedLine>();
  let total = 0n;
  for (const fact of facts) {
    const key = chargebackKeyOf(fact);
    const id = chargebackId(key);
    const cost = costOf(fact, metric);
    total += cost;
    const line = lines.get(id);
    if (line) line.direct = (line.direct + cost) as Money;
    else lines.set(id, { key, direct: cost, unallocatedShare: ZERO, total: ZERO });
  }
  const unallocatedLine = [...lines.values()].find((l) => l.key.kind === 'unallocated');
  const unallocated = unallocatedLine?.direct ?? ZERO;
  let split = false;
  if (mode === 'split' && unallocatedLine && unallocated !== 0n) {
    const recipients = [...lines.entries()]
      .filter(([, l]) => l.key.kind === 'workload')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const parts = apportion(
      unallocated,
      recipients.map(([, l]) => l.direct),
    );
    if (parts) {
      recipients.forEach(([, line], i) => {
        line.unallocatedShare = parts[i]! as Money;
      });
      unallocatedLine.unallocatedShare = -unallocated as Money;
      split = true;
    }
  }
  for (const line of lines.values()) line.total = (line.direct + line.unallocatedShare) as Money;
  return { lines, unallocated, split, total: total as Money };
}
