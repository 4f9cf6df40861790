import { z } from 'zod';
import type { DailyFact, UsageKind } from '../facts/daily-fact.js';
import { formatUsd, type Money, moneyToNumber, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { INPUT_SIDE_USAGE_KINDS, isUsageFact } from './fact-filters.js';
import { labelsFor } from './labels.js';
import { type RuleDefinition, ruleSchema } from './rule-definition.js';
import { indexSeries, seriesKey, splitSeriesKey, sumCostOfKinds, sumTokens } from './series.js';
import { median, moneyFromEstimate } from './stats.js';
import { judgeAgainstTrailing } from './trailing.js';
import { formatCount, formatPercent } from './wording.js';

const CACHE_READ: ReadonlySet<UsageKind> = new Set(['cache_read']);
const INPUT: ReadonlySet<UsageKind> = new Set(['input']);

const schema = ruleSchema('cache-regression', 'warning', {
  /** Relative drop of the cache-read share vs its trailing median (0.5 = the share halved). */
  min_drop: z.number().gt(0).max(1).default(0.5),
  /** Input-side volume on D must be within ± this fraction of its median: a cache miss at flat traffic. */
  volume_band: z.number().gt(0).default(0.3),
  window_days: z.number().int().min(2).max(90).default(14),
  min_history_days: z.number().int().min(1).max(90).default(7),
  /** Estimated extra cost of the lost cache hits on D; below it the regression is not worth a message. */
  min_extra_cost_usd: z.number().nonnegative().default(5),
}).refine((r) => r.min_history_days <= r.window_days, {
  message: 'min_history_days must not exceed window_days',
  path: ['min_history_days'],
});

export type CacheRegressionRule = z.output<typeof schema>;

interface CacheDay {
  share: number;
  inputSide: number;
}

function cacheDay(facts: readonly DailyFact[]): CacheDay | null {
  const inputSide = sumTokens(facts, INPUT_SIDE_USAGE_KINDS);
  if (inputSide <= 0) return null;
  return { share: sumTokens(facts, CACHE_READ) / inputSide, inputSide };
}

/** Cost per token of `kinds` over `facts`, or null without tokens. */
function unitPrice(
  facts: readonly DailyFact[],
  kinds: ReadonlySet<UsageKind>,
  rule: CacheRegressionRule,
): number | null {
  const tokens = sumTokens(facts, kinds);
  if (tokens <= 0) return null;
  return moneyToNumber(sumCostOfKinds(facts, kinds, rule.cost_metric)) / tokens;
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
  example: `rules:
  - type: cache-regression
    severity: warning
    min_drop: 0.5
    volume_band: 0.3
    window_days: 14
    min_history_days: 7
    min_extra_cost_usd: 5
`,
  evaluate(ctx, rule) {
    const inputFacts = ctx.facts.filter((f) => isUsageFact(f) && INPUT_SIDE_USAGE_KINDS.has(f.usageKind));
    const byModel = indexSeries(inputFacts, (f) => seriesKey(f.workload, f.model));
    return judgeAgainstTrailing({
      series: byModel,
      days: ctx.days,
      settings: rule,
      measure: cacheDay,
      labelsOf: (key, today) => {
        const [workload = '', model = ''] = splitSeriesKey(key);
        return labelsFor(today, rule.cost_metric, { workload, model });
      },
      judge: ({ day, key, today, value: current, labels, history }) => {
        const [workload = '', model = ''] = splitSeriesKey(key);
        const usualShare = median(history.map((h) => h.value.share));
        const usualVolume = median(history.map((h) => h.value.inputSide));
        if (usualShare <= 0 || usualVolume <= 0) return null;
        const drop = (usualShare - current.share) / usualShare;
        const volumeChange = (current.inputSide - usualVolume) / usualVolume;
        if (drop < rule.min_drop || Math.abs(volumeChange) > rule.volume_band) return null;

        const historyFacts = history.flatMap((h) => h.facts);
        const inputPrice = unitPrice(today, INPUT, rule) ?? unitPrice(historyFacts, INPUT, rule);
        const cachePrice = unitPrice(historyFacts, CACHE_READ, rule);
        if (inputPrice === null || cachePrice === null) return null;
        const lostTokens = (usualShare - current.share) * current.inputSide;
        const extra = moneyFromEstimate(lostTokens * Math.max(0, inputPrice - cachePrice));
        if (extra < usd(rule.min_extra_cost_usd)) return null;
        const todayCost = sumCostOfKinds(today, INPUT_SIDE_USAGE_KINDS, rule.cost_metric);
        const baseline = (todayCost - extra) as Money;
        return {
          day,
          severity: rule.severity,
          labels,
          figures: {
            today: todayCost,
            baseline,
            ratio: baseline > 0n ? moneyToNumber(todayCost) / moneyToNumber(baseline) : null,
            delta: extra,
            cache_read_share: current.share,
            baseline_cache_read_share: usualShare,
            drop,
            input_tokens: current.inputSide,
            baseline_input_tokens: usualVolume,
            history_days: history.length,
          },
          why: [
            `${workload} on ${model} read ${formatPercent(current.share)} of its input from cache on ${day}, down from a ${rule.window_days}-day median of ${formatPercent(usualShare)} (−${formatPercent(drop)})`,
            `Input volume stayed level: ${formatCount(current.inputSide)} tokens vs a median of ${formatCount(usualVolume)} (${volumeChange >= 0 ? '+' : '−'}${formatPercent(Math.abs(volumeChange))}, band ±${formatPercent(rule.volume_band)})`,
            `The lost cache hits cost about ${formatUsd(extra)} more than the same traffic at the usual hit rate (input-side cost ${formatUsd(todayCost)})`,
          ],
          contributors: topContributors({
            today,
            baseline: { kind: 'median', days: history.map((h) => h.facts) },
            dimensions: ['usage_kind', 'iam_principal'],
            metric: rule.cost_metric,
          }),
        };
      },
    });
  },
};
