import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { reconcile } from '../../../../src/core/facts/reconcile.js';
import { formatMoney, parseMoney } from '../../../../src/core/money.js';

const fact = (billingPeriod: string, cost: string, lineItems: number) =>
  ({ billingPeriod, costUnblended: parseMoney(cost), costNet: parseMoney(cost), lineItems }) as DailyFact;
const total = (billingPeriod: string, cost: string, lineItems: number) => ({
  billingPeriod,
  costUnblended: parseMoney(cost),
  costNet: parseMoney(cost),
  lineItems,
});

describe('reconcile', () => {
  it('passes when facts carry exactly the input cost and line items', () => {
    const [r] = reconcile(
      [total('2026-06', '10.0000000018', 3)],
      [fact('2026-06', '10', 2), fact('2026-06', '0.0000000018', 1)],
    );
    expect(r!.ok).toBe(true);
    expect(formatMoney(r!.difference)).toBe('0');
  });

  it('allows at most one micro-dollar of difference', () => {
    expect(reconcile([total('2026-06', '1.000001', 1)], [fact('2026-06', '1', 1)])[0]!.ok).toBe(true);
    expect(reconcile([total('2026-06', '1.0000011', 1)], [fact('2026-06', '1', 1)])[0]!.ok).toBe(false);
  });

  it('fails when a line item is lost or counted twice, even at equal cost', () => {
    expect(reconcile([total('2026-06', '1', 2)], [fact('2026-06', '1', 1)])[0]!.ok).toBe(false);
  });

  it('reports each period, including one only the facts have', () => {
    const result = reconcile([total('2026-05', '2', 1)], [fact('2026-05', '2', 1), fact('2026-06', '3', 1)]);
    expect(result.map((r) => [r.billingPeriod, r.ok])).toEqual([
      ['2026-05', true],
      ['2026-06', false],
    ]);
  });
});
