import { type Money, moneyWithin, RECONCILIATION_TOLERANCE, subtractMoney, sumMoney } from '../money.js';
import type { DailyFact } from './daily-fact.js';

/** Σ of the input's Bedrock line items for one billing period, computed by the engine from raw lines. */
export interface PeriodTotal {
  billingPeriod: string;
  costUnblended: Money;
  costNet: Money;
  lineItems: number;
}

export interface PeriodReconciliation {
  billingPeriod: string;
  inputCost: Money;
  factCost: Money;
  /** factCost − inputCost. */
  difference: Money;
  inputNetCost: Money;
  factNetCost: Money;
  inputLineItems: number;
  factLineItems: number;
  ok: boolean;
}

/**
 * Checks, per billing period, that the facts carry exactly the Bedrock cost and line items of the
 * input (to 1e-6 USD): nothing dropped, nothing counted twice.
 */
export function reconcile(
  totals: readonly PeriodTotal[],
  facts: readonly DailyFact[],
  tolerance: Money = RECONCILIATION_TOLERANCE,
): PeriodReconciliation[] {
  const periods = new Set([...totals.map((t) => t.billingPeriod), ...facts.map((f) => f.billingPeriod)]);
  return [...periods].sort().map((billingPeriod) => {
    const input = totals.filter((t) => t.billingPeriod === billingPeriod);
    const periodFacts = facts.filter((f) => f.billingPeriod === billingPeriod);
    const inputCost = sumMoney(input.map((t) => t.costUnblended));
    const factCost = sumMoney(periodFacts.map((f) => f.costUnblended));
    const inputNetCost = sumMoney(input.map((t) => t.costNet));
    const factNetCost = sumMoney(periodFacts.map((f) => f.costNet));
    const inputLineItems = input.reduce((n, t) => n + t.lineItems, 0);
    const factLineItems = periodFacts.reduce((n, f) => n + f.lineItems, 0);
    return {
      billingPeriod,
      inputCost,
      factCost,
      difference: subtractMoney(factCost, inputCost),
      inputNetCost,
      factNetCost,
      inputLineItems,
      factLineItems,
      ok:
        moneyWithin(inputCost, factCost, tolerance) &&
        moneyWithin(inputNetCost, factNetCost, tolerance) &&
        inputLineItems === factLineItems,
    };
  });
}
