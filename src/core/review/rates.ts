import type { DailyFact } from '../facts/daily-fact.js';
import { type CostMetric, costOf, isUsageFact } from '../facts/fact-filters.js';
import type { Money } from '../money.js';

/** An effective rate observed in CUR: what `tokens` tokens actually cost. Never from a rate card. */
export interface ObservedRate {
  cost: Money;
  tokens: number;
  /** Where it was observed: the same region as the commitment, or any region. */
  scope: 'region' | 'any-region';
}

export type RateKind = 'input' | 'output';

/**
 * Effective on-demand token rates (cost ÷ tokens) per model and usage kind, from standard-tier on-demand
 * usage in the same CUR. Priority, flex, batch and capacity tiers are priced differently and left out.
 */
export class OnDemandRates {
  private readonly byRegion = new Map<string, { cost: bigint; tokens: number }>();
  private readonly byModel = new Map<string, { cost: bigint; tokens: number }>();

  constructor(facts: readonly DailyFact[], metric: CostMetric) {
    for (const f of facts) {
      if (!isUsageFact(f) || f.serviceTier !== 'standard') continue;
      if (f.usageKind !== 'input' && f.usageKind !== 'output') continue;
      if (f.tokens <= 0) continue;
      for (const [map, key] of [
        [this.byRegion, `${f.model}|${f.region}|${f.usageKind}`],
        [this.byModel, `${f.model}|${f.usageKind}`],
      ] as const) {
        const entry = map.get(key) ?? { cost: 0n, tokens: 0 };
        entry.cost += costOf(f, metric);
        entry.tokens += f.tokens;
        map.set(key, entry);
      }
    }
  }

  rate(model: string, region: string, kind: RateKind): ObservedRate | null {
    const own = this.byRegion.get(`${model}|${region}|${kind}`);
    if (own && own.tokens > 0) return { cost: own.cost as Money, tokens: own.tokens, scope: 'region' };
    const any = this.byModel.get(`${model}|${kind}`);
    if (any && any.tokens > 0) return { cost: any.cost as Money, tokens: any.tokens, scope: 'any-region' };
    return null;
  }
}

/** What `tokens` would cost at `rate`, exact to 1e-15 USD (integer arithmetic, truncated). */
export function priceTokens(rate: ObservedRate, tokens: number): Money {
  if (tokens <= 0 || rate.tokens <= 0) return 0n as Money;
  return ((rate.cost * BigInt(Math.round(tokens))) / BigInt(Math.round(rate.tokens))) as Money;
}

/** USD per million tokens, for display. */
export function perMillion(rate: ObservedRate): number {
  return (Number(rate.cost) / 1e15 / rate.tokens) * 1e6;
}
