import { z } from 'zod';
import { isUsageFact, TOKEN_USAGE_KINDS } from '../facts/fact-filters.js';
import { formatUsd, type Money, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { labelsFor } from './labels.js';
import { type RuleDefinition, ruleExample, ruleSchema } from './rule-definition.js';
import { metricName } from './rule-series.js';
import { medianMoney, moneyRatio } from './stats.js';
import { historyWithinWindow, judgeAgainstTrailing, TRAILING_WINDOW_KEYS } from './trailing.js';
import { formatPercent } from './wording.js';

const schema = historyWithinWindow(
  ruleSchema('model-mix-shift', 'warning', {
    /** Rise of the premium-tier token share, in percentage points, vs its trailing median. */
    min_points: z.number().gt(0).max(100).default(20),
    ...TRAILING_WINDOW_KEYS,
    /** Premium-tier cost on D; below it a shift is not worth a message. */
    min_cost_usd: z.number().nonnegative().default(10),
  }),
);

export type ModelMixShiftRule = z.output<typeof schema>;

/**
 * Share of a workload's tokens that went to premium-tier models (model catalog tier, e.g. Opus-class) rises by
 * ≥ `min_points` percentage points vs its trailing median: a default model changed, a router fell back upwards.
 * A workload with fewer than `min_history_days` days of data is "learning".
 *
 * Figures: `today` is premium-tier cost on D, `baseline` its trailing median per day.
 *
 * @example
 * rules:
 *   - type: model-mix-shift
 *     min_points: 20
 *     window_days: 14
 *     min_history_days: 7
 *     min_cost_usd: 10
 */
export const modelMixShiftRule: RuleDefinition<ModelMixShiftRule> = {
  type: 'model-mix-shift',
  summary: "Premium-tier share of a workload's tokens rises ≥ 20 points vs its trailing 14-day median.",
  schema,
  keys: Object.keys(schema.shape),
  example: ruleExample('model-mix-shift', 'warning', {
    min_points: 20,
    window_days: 14,
    min_history_days: 7,
    min_cost_usd: 10,
  }),
  evaluate(ctx, rule) {
    const grid = ctx.series.workload;
    const premiumCost = metricName('premium_cost', rule.cost_metric);
    const factsOf = (workload: string, day: string) =>
      ctx.detail.facts({ workload }, day).filter((f) => isUsageFact(f) && TOKEN_USAGE_KINDS.has(f.usageKind));
    return judgeAgainstTrailing({
      grid,
      context: ctx,
      settings: rule,
      // Premium-tier share of the workload's tokens; undefined without tokens.
      measure: (slot) => {
        const total = grid.numberAt('tokens', slot);
        return total <= 0 ? null : grid.numberAt('tokens_premium', slot) / total;
      },
      labelsOf: (workload, day) =>
        labelsFor(factsOf(workload, day), rule.cost_metric, { workload, model: '*' }),
      judge: (candidate) => {
        const { day, key: workload, slot, value: share } = candidate;
        const usualShare = candidate.historyMedian((v) => v);
        const points = (share - usualShare) * 100;
        const todayCost = grid.moneyAt(premiumCost, slot);
        if (points < rule.min_points || todayCost < usd(rule.min_cost_usd)) return null;
        const history = candidate.history;
        const usualCost = medianMoney(history.map((h) => grid.moneyAt(premiumCost, h.slot)));
        const delta = (todayCost - usualCost) as Money;
        return {
          figures: {
            today: todayCost,
            baseline: usualCost,
            ratio: moneyRatio(todayCost, usualCost),
            delta,
            premium_share: share,
            baseline_premium_share: usualShare,
            points,
            history_days: history.length,
          },
          why: [
            `${workload} sent ${formatPercent(share)} of its tokens to premium-tier models on ${day}, up ${Math.round(points)} points from its ${rule.window_days}-day median of ${formatPercent(usualShare)}`,
            `Premium-tier spend was ${formatUsd(todayCost)} vs a median of ${formatUsd(usualCost)}/day (${delta >= 0n ? '+' : ''}${formatUsd(delta)})`,
            `Fires at a rise of ≥ ${rule.min_points} points with ≥ ${formatUsd(usd(rule.min_cost_usd))} of premium-tier spend`,
          ],
          contributors: topContributors({
            today: factsOf(workload, day),
            baseline: { kind: 'median', days: history.map((h) => factsOf(workload, h.day)) },
            dimensions: ['model', 'iam_principal'],
            metric: rule.cost_metric,
          }),
        };
      },
    });
  },
};
