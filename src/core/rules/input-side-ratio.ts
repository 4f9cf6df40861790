import type { DailyFact } from '../facts/daily-fact.js';
import type { CostMetric } from '../facts/fact-filters.js';
import { splitTupleKey } from '../keys.js';
import type { FindingLabels } from './finding.js';
import { labelsFor } from './labels.js';
import type { RuleContext } from './rule-definition.js';

/**
 * The workload × model series judged by a token count per input-side token (input + cache read + cache writes):
 * verbose-output (output tokens) and cache-regression (cache-read tokens). Their measure (undefined without
 * input-side tokens), the facts a finding reads (those `keep` lets through) and its labels.
 */
export function inputSideRatio(
  ctx: RuleContext,
  metric: CostMetric,
  numerator: 'tokens_output' | 'tokens_cache_read',
  keep: (fact: DailyFact) => boolean,
) {
  const grid = ctx.series.workloadModel;
  const inputSide = grid.numberReader('tokens_input_side');
  const top = grid.numberReader(numerator);
  const factsOf = (key: string, day: string): DailyFact[] => {
    const [workload = '', model = ''] = splitTupleKey(key);
    return ctx.detail.facts({ workload, model }, day).filter(keep);
  };
  return {
    grid,
    inputSide,
    factsOf,
    measure: (slot: number): number | null => {
      const tokens = inputSide(slot);
      return tokens <= 0 ? null : top(slot) / tokens;
    },
    labelsOf: (key: string, day: string): FindingLabels => {
      const [workload = '', model = ''] = splitTupleKey(key);
      return labelsFor(factsOf(key, day), metric, { workload, model });
    },
  };
}
