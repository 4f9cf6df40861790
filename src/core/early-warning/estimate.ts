import { type Money, ZERO } from '../money.js';
import type { AttributeModelId, ModelIdAttribution } from './attribution.js';
import { byHourThen, type HourlyUsage } from './metrics.js';
import { type EffectiveRate, findRate, type MetricTokenKind, priceTokens } from './rates.js';

/** One model id's estimated spend in one hour. */
export interface ModelIdHour {
  usage: HourlyUsage;
  attribution: ModelIdAttribution;
  /** Σ priced tokens; tokens of a kind without an observed rate are not in it (see `unpricedTokens`). */
  estimate: Money;
  unpricedTokens: number;
  /** The rates used, one per priced kind. */
  rates: EffectiveRate[];
}

/** A workload's estimated spend in one hour, over every model id attributed to it. */
export interface WorkloadHour {
  hour: string;
  day: string;
  workload: string;
  estimate: Money;
  tokens: number;
  invocations: number;
  unpricedTokens: number;
  modelIds: ModelIdHour[];
}

const KINDS: readonly [MetricTokenKind, keyof HourlyUsage][] = [
  ['input', 'input'],
  ['output', 'output'],
  ['cache_read', 'cacheRead'],
  ['cache_write', 'cacheWrite'],
];

/** Prices one model id's hour at the effective CUR rates of its model and routing. */
export function priceModelIdHour(
  usage: HourlyUsage,
  attribute: AttributeModelId,
  rates: ReadonlyMap<string, EffectiveRate>,
): ModelIdHour {
  const attribution = attribute(usage.accountId, usage.modelId);
  let estimate = ZERO as Money;
  let unpriced = 0;
  const used: EffectiveRate[] = [];
  for (const [kind, field] of KINDS) {
    const tokens = usage[field] as number;
    if (tokens === 0) continue;
    const rate = findRate(rates, attribution.model, kind, attribution.routing);
    if (!rate) {
      unpriced += tokens;
      continue;
    }
    estimate = (estimate + priceTokens(rate, tokens)) as Money;
    used.push(rate);
  }
  return { usage, attribution, estimate, unpricedTokens: unpriced, rates: used };
}

/** Hourly usage → per workload and hour estimated spend, tokens and invocations. */
export function workloadHours(
  usage: readonly HourlyUsage[],
  attribute: AttributeModelId,
  rates: ReadonlyMap<string, EffectiveRate>,
): WorkloadHour[] {
  const byKey = new Map<string, WorkloadHour>();
  for (const u of usage) {
    const priced = priceModelIdHour(u, attribute, rates);
    const workload = priced.attribution.workload;
    const key = `${u.hour}\u0000${workload}`;
    let entry = byKey.get(key);
    if (!entry) {
      entry = {
        hour: u.hour,
        day: u.hour.slice(0, 10),
        workload,
        estimate: ZERO,
        tokens: 0,
        invocations: 0,
        unpricedTokens: 0,
        modelIds: [],
      };
      byKey.set(key, entry);
    }
    entry.estimate = (entry.estimate + priced.estimate) as Money;
    entry.tokens += u.input + u.output + u.cacheRead + u.cacheWrite;
    entry.invocations += u.invocations;
    entry.unpricedTokens += priced.unpricedTokens;
    entry.modelIds.push(priced);
  }
  return [...byKey.values()].sort((a, b) => byHourThen(a.hour, a.workload, b.hour, b.workload));
}
