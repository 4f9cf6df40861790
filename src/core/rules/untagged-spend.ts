import { z } from 'zod';
import { UNALLOCATED } from '../facts/daily-fact.js';
import { isChargeFact } from '../facts/fact-filters.js';
import { formatUsd, moneyToNumber, usd, ZERO } from '../money.js';
import { topContributors } from './contributors.js';
import { labelsFor } from './labels.js';
import { type FindingDraft, type RuleDefinition, ruleExample, ruleSchema } from './rule-definition.js';
import { ALL, metricName } from './rule-series.js';
import { formatPercent } from './wording.js';

const schema = ruleSchema('untagged-spend', 'warning', {
  /** Unallocated share of the day's Bedrock spend (0–1). */
  min_share: z.number().min(0).max(1).default(0.1),
  min_cost_usd: z.number().nonnegative().default(10),
});

export type UntaggedSpendRule = z.output<typeof schema>;

/**
 * Spend attributed to no workload (`__unallocated__`) is at least `min_share` of the day's Bedrock spend and at
 * least `min_cost_usd`. Counts every charge (commitment fees included), never tax or credits. Labelled with the
 * account that carries most of it (or `*` when none carries half), so it routes to that account's owner.
 *
 * @example
 * rules:
 *   - type: untagged-spend
 *     min_share: 0.1
 *     min_cost_usd: 10
 */
export const untaggedSpendRule: RuleDefinition<UntaggedSpendRule> = {
  type: 'untagged-spend',
  summary: "Unallocated spend is ≥ 10% of the day's Bedrock spend and ≥ $10.",
  schema,
  keys: Object.keys(schema.shape),
  example: ruleExample('untagged-spend', 'warning', { min_share: 0.1, min_cost_usd: 10 }),
  evaluate(ctx, rule) {
    const grid = ctx.series.day;
    const totalCost = metricName('charge_cost', rule.cost_metric);
    const unallocatedCost = metricName('unallocated_cost', rule.cost_metric);
    const findings: FindingDraft[] = [];
    for (const day of ctx.days) {
      const total = grid.money(totalCost, ALL, day);
      const unallocated = grid.money(unallocatedCost, ALL, day);
      if (total <= 0n || unallocated <= 0n) continue;
      const share = moneyToNumber(unallocated) / moneyToNumber(total);
      if (share < rule.min_share || unallocated < usd(rule.min_cost_usd)) continue;
      const unallocatedFacts = ctx.detail.facts({ workload: UNALLOCATED }, day).filter(isChargeFact);
      const labels = labelsFor(unallocatedFacts, rule.cost_metric, { workload: UNALLOCATED, model: '*' });
      findings.push({
        day,
        severity: rule.severity,
        labels,
        figures: { today: unallocated, baseline: ZERO, ratio: null, delta: unallocated, total, share },
        why: [
          `${formatUsd(unallocated)} of ${formatUsd(total)} Bedrock spend on ${day} (${formatPercent(share)}) has no workload`,
          `No workload tag was found on the inference profile, the IAM principal or the account; fires at ≥ ${formatPercent(rule.min_share)} and ≥ ${formatUsd(usd(rule.min_cost_usd))}`,
          'Tag the application inference profiles or the calling roles with a workload key, or map the account to a workload in config',
        ],
        contributors: topContributors({
          today: unallocatedFacts,
          baseline: { kind: 'zero' },
          dimensions: ['account', 'iam_principal', 'model'],
          metric: rule.cost_metric,
        }),
      });
    }
    return { findings, learning: [] };
  },
};
