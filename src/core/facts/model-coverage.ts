import { type Money, sumMoney } from '../money.js';
import type { DailyFact } from './daily-fact.js';

export interface CoverageBucket {
  /** Distinct model ids in the bucket. */
  models: string[];
  cost: Money;
  lineItems: number;
}

/** How much spend landed on a known model, on `unknown:<raw>`, and on lines that name no model. */
export interface ModelCoverage {
  known: CoverageBucket;
  unknown: CoverageBucket;
  /** Tax, credits and non-model features (`none`, `feature:<slug>`): no model to know. */
  noModel: CoverageBucket;
}

export function isUnknownModel(model: string): boolean {
  return model.startsWith('unknown:');
}

/** Whether a fact names no model at all (tax, credits, guardrails and other features). */
export function isModelless(model: string): boolean {
  return model === 'none' || model.startsWith('feature:');
}

export function modelCoverage(facts: readonly DailyFact[]): ModelCoverage {
  const split = { known: [] as DailyFact[], unknown: [] as DailyFact[], noModel: [] as DailyFact[] };
  for (const f of facts) {
    if (isUnknownModel(f.model)) split.unknown.push(f);
    else if (isModelless(f.model)) split.noModel.push(f);
    else split.known.push(f);
  }
  const bucket = (list: readonly DailyFact[]): CoverageBucket => ({
    models: [...new Set(list.map((f) => f.model))].sort(),
    cost: sumMoney(list.map((f) => f.costUnblended)),
    lineItems: list.reduce((n, f) => n + f.lineItems, 0),
  });
  return { known: bucket(split.known), unknown: bucket(split.unknown), noModel: bucket(split.noModel) };
}

/** Coverage of several deliveries together: model sets united, cost and line items summed. */
export function mergeCoverage(parts: readonly ModelCoverage[]): ModelCoverage {
  const merge = (pick: (c: ModelCoverage) => CoverageBucket): CoverageBucket => ({
    models: [...new Set(parts.flatMap((c) => pick(c).models))].sort(),
    cost: sumMoney(parts.map((c) => pick(c).cost)),
    lineItems: parts.reduce((n, c) => n + pick(c).lineItems, 0),
  });
  return { known: merge((c) => c.known), unknown: merge((c) => c.unknown), noModel: merge((c) => c.noModel) };
}
