import type { Money } from '../money.js';
import { CACHE_WRITE_USAGE_KINDS, type DailyFact, TOKEN_USAGE_KINDS, type UsageKind } from './daily-fact.js';

/** Line item types that are running usage (CID's definition); everything else is a fee, credit, refund, tax or discount. */
export const USAGE_LINE_ITEM_TYPES: ReadonlySet<string> = new Set([
  'Usage',
  'DiscountedUsage',
  'SavingsPlanCoveredUsage',
]);

/**
 * Adjustments AWS applies after the fact (the CUR is updated after it is final when "AWS applies refunds,
 * credits, or support fees"): the only line items that may be dated outside their billing period.
 */
export const ADJUSTMENT_LINE_ITEM_TYPES: ReadonlySet<string> = new Set(['Credit', 'Refund']);

/** Charges that are not running usage but are still spend someone owns (commitment fees may bill as these). */
export const FEE_LINE_ITEM_TYPES: ReadonlySet<string> = new Set(['Fee', 'RIFee']);

/** Commitment fees: judged by idle-provisioned and the quarterly review, never by the usage rules. */
export const COMMITMENT_USAGE_KINDS: ReadonlySet<UsageKind> = new Set([
  'provisioned_hours',
  'reserved_hours',
]);

export { TOKEN_USAGE_KINDS };

/** The denominator of verbose-output and cache-regression: every token the model read (cache writes of every TTL). */
export const INPUT_SIDE_USAGE_KINDS: ReadonlySet<UsageKind> = new Set([
  'input',
  'cache_read',
  ...CACHE_WRITE_USAGE_KINDS,
]);

export const COST_METRICS = ['unblended', 'net'] as const;
export type CostMetric = (typeof COST_METRICS)[number];

export function costOf(fact: DailyFact, metric: CostMetric): Money {
  return metric === 'net' ? fact.costNet : fact.costUnblended;
}

/** Usage rules (spike, verbose, cache, mix) see running usage only: no commitment fees, credits, refunds or tax. */
export function isUsageFact(fact: DailyFact): boolean {
  return USAGE_LINE_ITEM_TYPES.has(fact.lineItemType) && !COMMITMENT_USAGE_KINDS.has(fact.usageKind);
}

/** Spend rules (dev-in-prod, untagged-spend) count every charge, commitment hours included, but not tax or credits. */
export function isChargeFact(fact: DailyFact): boolean {
  return USAGE_LINE_ITEM_TYPES.has(fact.lineItemType) || FEE_LINE_ITEM_TYPES.has(fact.lineItemType);
}

/** Service tiers that are themselves capacity: their traffic is not "on-demand beside a commitment". */
export const CAPACITY_TIERS: ReadonlySet<string> = new Set(['provisioned', 'reserved']);

/** Token usage billed on demand (not through a commitment): what a bypassed commitment's traffic looks like. */
export function isOnDemandTokens(fact: DailyFact): boolean {
  return isUsageFact(fact) && TOKEN_USAGE_KINDS.has(fact.usageKind) && !CAPACITY_TIERS.has(fact.serviceTier);
}

/** Commitment fees judged by idle-provisioned: Provisioned Throughput hours billed as a charge. */
export function isProvisionedFee(fact: DailyFact): boolean {
  return isChargeFact(fact) && fact.usageKind === 'provisioned_hours';
}
