import { z } from 'zod';
import { INPUT_SIDE_USAGE_KINDS, isUsageFact } from '../facts/fact-filters.js';
import { splitTupleKey } from '../keys.js';
import { formatUsd, type Money, moneyToNumber, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { inputSideRatio } from './input-side-ratio.js';
import { type RuleDefinition, ruleExample, ruleSchema } from './rule-definition.js';
import { metricName } from './rule-series.js';
import { moneyFromEstimate } from './stats.js';
import { historyWithinWindow, judgeAgainstTrailing, TRAILING_WINDOW_KEYS } from './trailing.js';
import { formatCount, formatPercent } from './wording.js';

const schema = historyWithinWindow(
  ruleSchema('cache-regression', 'warning', {
    /** Relative drop of the cache-read share vs its trailing median (0.5 = the share halved). */
    min_drop: z.number().gt(0).max(1).default(0.5),
    /** Input-side volume on D must be within ± this fraction of its median: a cache miss at flat traffic. */
    volume_band: z.number().gt(0).default(0.3),
    ...TRAILING_WINDOW_KEYS,
    /** Estimated extra cost of the lost cache hits on D; below it the regression is not worth a message. */
    min_extra_cost_usd: z.number().nonnegative().default(5),
  }),
);

export type CacheRegressionRule = z.output<typeof schema>;

/** Cost per token from summed cost and tokens, or null without tokens. */
function unitPrice(cost: Money, tokens: number): number | null {
  return tokens <= 0 ? null : moneyToNumber(cost) / tokens;
}

/**
 * Cache-read share of input-side tokens (input + cache read + cache writes) of a workload × model drops by
 * ≥ `min_drop` relative to its trailing median while input-side volume stays within ±`volume_band` of its median:
 * the same traffic now pays full input price (a prompt prefix changed, a TTL was lost). A series with fewer than
 * `min_history_days` days of data is "learning".
 *
 * The extra cost is estimated as lost cache-read tokens × (input price − cache-read price), prices taken from the
 * series' own facts; `baseline` is D's input-side cost minus that estimate. Below `min_extra_cost_usd` no finding.
 *
 * @example
 * rules:
 *   - type: cache-regression
 *     min_drop: 0.5
 *     volume_band: 0.3
 *     window_days: 14
 *     min_history_days: 7
 *     min_extra_cost_usd: 5
 */
export const cacheRegressionRule: RuleDefinition<CacheRegressionRule> = {
  type: 'cache-regression',
  summary:
    'Cache-read share of input tokens halves vs the trailing median while input volume stays within ±30%.',
  schema,
  keys: Object.keys(schema.shape),
  example: ruleExample('cache-regression', 'warning', {
    min_drop: 0.5,
    volume_band: 0.3,
    window_days: 14,
    min_history_days: 7,
    min_extra_cost_usd: 5,
  }),
  evaluate(ctx, rule) {
    const cost = (base: 'input_cost' | 'cache_read_cost' | 'input_side_cost') =>
      metricName(base, rule.cost_metric);
    // Cache-read share of input-side tokens.
    const series = inputSideRatio(
      ctx,
      rule.cost_metric,
      'tokens_cache_read',
      (f) => isUsageFact(f) && INPUT_SIDE_USAGE_KINDS.has(f.usageKind),
    );
    const { grid, factsOf, inputSide: inputSideTokens } = series;
    return judgeAgainstTrailing({
      grid,
      context: ctx,
      settings: rule,
      measure: series.measure,
      labelsOf: series.labelsOf,
      judge: (candidate) => {
        const { day, key, slot, value: share } = candidate;
        const inputSide = inputSideTokens(slot);
        // The share's test first: most days have no drop, and then the volume's median is not needed. A drop needs
        // a median share of at least share ÷ (1 − min_drop); when fewer than half the history days reach it (with a
        // margin far above rounding), the median does not, and no sort is needed.
        if (rule.min_drop < 1) {
          const lowestUsual = (share / (1 - rule.min_drop)) * (1 - 1e-9);
          if (
            candidate.historyCountWithin(lowestUsual, Number.POSITIVE_INFINITY) * 2 <
            candidate.historyDays
          ) {
            return null;
          }
        }
        const usualShare = candidate.historyMedian((v) => v);
        if (usualShare <= 0) return null;
        const drop = (usualShare - share) / usualShare;
        if (drop < rule.min_drop) return null;
        const usualVolume = candidate.historyMedian((_, past) => inputSideTokens(past));
        if (usualVolume <= 0) return null;
        const volumeChange = (inputSide - usualVolume) / usualVolume;
        if (Math.abs(volumeChange) > rule.volume_band) return null;

        const history = candidate.history;
        // Prices from the series' own sums: today's input price, else the history's; the history's cache price.
        const historyMoney = (base: 'input_cost' | 'cache_read_cost') =>
          history.reduce((sum, h) => sum + grid.moneyAt(cost(base), h.slot), 0n) as Money;
        const historyTokens = (name: 'tokens_input' | 'tokens_cache_read') =>
          history.reduce((sum, h) => sum + grid.numberAt(name, h.slot), 0);
        const inputPrice =
          unitPrice(grid.moneyAt(cost('input_cost'), slot), grid.numberAt('tokens_input', slot)) ??
          unitPrice(historyMoney('input_cost'), historyTokens('tokens_input'));
        const cachePrice = unitPrice(historyMoney('cache_read_cost'), historyTokens('tokens_cache_read'));
        if (inputPrice === null || cachePrice === null) return null;
        const lostTokens = (usualShare - share) * inputSide;
        const extra = moneyFromEstimate(lostTokens * Math.max(0, inputPrice - cachePrice));
        if (extra < usd(rule.min_extra_cost_usd)) return null;
        const todayCost = grid.moneyAt(cost('input_side_cost'), slot);
        const baseline = (todayCost - extra) as Money;
        const [workload = '', model = ''] = splitTupleKey(key);
        return {
          figures: {
            today: todayCost,
            baseline,
            ratio: baseline > 0n ? moneyToNumber(todayCost) / moneyToNumber(baseline) : null,
            delta: extra,
            cache_read_share: share,
            baseline_cache_read_share: usualShare,
            drop,
            input_tokens: inputSide,
            baseline_input_tokens: usualVolume,
            history_days: history.length,
          },
          why: [
            `${workload} on ${model} read ${formatPercent(share)} of its input from cache on ${day}, down from a ${rule.window_days}-day median of ${formatPercent(usualShare)} (−${formatPercent(drop)})`,
            `Input volume stayed level: ${formatCount(inputSide)} tokens vs a median of ${formatCount(usualVolume)} (${volumeChange >= 0 ? '+' : '−'}${formatPercent(Math.abs(volumeChange))}, band ±${formatPercent(rule.volume_band)})`,
            `The lost cache hits cost about ${formatUsd(extra)} more than the same traffic at the usual hit rate (input-side cost ${formatUsd(todayCost)})`,
          ],
          contributors: topContributors({
            today: factsOf(key, day),
            baseline: { kind: 'median', days: history.map((h) => factsOf(key, h.day)) },
            dimensions: ['usage_kind', 'iam_principal'],
            metric: rule.cost_metric,
          }),
        };
      },
    });
  },
};
