import { type DailyFact, type Routing, TOKEN_USAGE_KINDS, type UsageKind } from '../facts/daily-fact.js';
import { formatUsd, type Money, ZERO } from '../money.js';

/** A price observed in CUR: `cost` for `tokens` tokens of one model, usage kind and routing on `day`. */
export interface EffectiveRate {
  model: string;
  usageKind: UsageKind;
  routing: Routing;
  day: string;
  cost: Money;
  tokens: number;
}

/** The usage kinds metrics count, in CUR's terms (a metric's cache write is the default 5-minute write). */
export type MetricTokenKind = 'input' | 'output' | 'cache_read' | 'cache_write';

const rateKey = (model: string, kind: string, routing: string) => `${model}\u0000${kind}\u0000${routing}`;

/**
 * Effective rates = cost ÷ tokens of the newest day the facts hold for each model × usage kind × routing
 * (on-demand usage lines with tokens: commitments, credits and tax carry no token price).
 */
export function effectiveRates(facts: readonly DailyFact[]): Map<string, EffectiveRate> {
  const sums = new Map<string, EffectiveRate>();
  for (const fact of facts) {
    if (!TOKEN_USAGE_KINDS.has(fact.usageKind) || fact.tokens <= 0) continue;
    if (fact.lineItemType !== 'Usage') continue;
    if (fact.serviceTier === 'provisioned' || fact.serviceTier === 'reserved') continue;
    const key = rateKey(fact.model, fact.usageKind, fact.routing);
    const current = sums.get(key);
    if (current && current.day > fact.usageDate) continue;
    if (!current || current.day < fact.usageDate) {
      sums.set(key, {
        model: fact.model,
        usageKind: fact.usageKind,
        routing: fact.routing,
        day: fact.usageDate,
        cost: fact.costUnblended,
        tokens: fact.tokens,
      });
    } else {
      current.cost = (current.cost + fact.costUnblended) as Money;
      current.tokens += fact.tokens;
    }
  }
  return sums;
}

/** The rate for a model, usage kind and routing; another routing of the same model and kind if that one is unseen. */
export function findRate(
  rates: ReadonlyMap<string, EffectiveRate>,
  model: string,
  kind: MetricTokenKind,
  routing: Routing,
): EffectiveRate | null {
  const exact = rates.get(rateKey(model, kind, routing));
  if (exact) return exact;
  let fallback: EffectiveRate | null = null;
  for (const rate of rates.values()) {
    if (rate.model !== model || rate.usageKind !== kind) continue;
    if (!fallback || rate.day > fallback.day) fallback = rate;
  }
  return fallback;
}

/** tokens × rate.cost ÷ rate.tokens, exactly (bigint), rounded half up to the money scale. */
export function priceTokens(rate: EffectiveRate, tokens: number): Money {
  if (tokens === 0 || rate.tokens === 0) return ZERO;
  const numerator = rate.cost * BigInt(Math.round(tokens));
  const divisor = BigInt(rate.tokens);
  const quotient = numerator / divisor;
  const remainder = numerator % divisor;
  return (remainder * 2n >= divisor ? quotient + 1n : quotient) as Money;
}

/** "$3.00 per 1M input tokens (us-east-1 CUR, 2026-06-03, geo)" style description of a rate. */
export function describeRate(rate: EffectiveRate): string {
  const perMillion = ((rate.cost * 1_000_000n) / BigInt(rate.tokens)) as Money;
  return `${formatUsd(perMillion, 4)} per 1M ${rate.usageKind} tokens of ${rate.model} (${rate.routing}), observed in CUR on ${rate.day}`;
}
