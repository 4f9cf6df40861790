import { z } from 'zod';
import type { DailyFact } from '../facts/daily-fact.js';
import { isUsageFact, TOKEN_USAGE_KINDS } from '../facts/fact-filters.js';
import { splitTupleKey } from '../keys.js';
import { formatUsd, type Money, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { inputSideRatio } from './input-side-ratio.js';
import { type RuleDefinition, ruleExample, ruleSchema } from './rule-definition.js';
import { metricName } from './rule-series.js';
import { scaleMoney } from './stats.js';
import { historyWithinWindow, judgeAgainstTrailing, TRAILING_WINDOW_KEYS } from './trailing.js';
import { formatCount, formatDecimal, formatTimes } from './wording.js';

const schema = historyWithinWindow(
  ruleSchema('verbose-output', 'warning', {
    /** Output per input-side token on D must reach this multiple of the trailing median. */
    ratio: z.number().gt(1).default(2),
    ...TRAILING_WINDOW_KEYS,
    /** Output-token cost on D; below it a verbose day is not worth a message. */
    min_output_cost_usd: z.number().nonnegative().default(10),
  }),
);

export type VerboseOutputRule = z.output<typeof schema>;

function isTokenUsage(fact: DailyFact): boolean {
  return isUsageFact(fact) && TOKEN_USAGE_KINDS.has(fact.usageKind);
}

/**
 * Output ÷ (input + cache read + cache write 5 min + 1 h) tokens of a workload × model on D against its own trailing
 * median: agents that loop or prompts that stopped constraining length. A series with fewer than
 * `min_history_days` days of data in the window is "learning" and yields no finding.
 *
 * The `baseline` figure is the output cost D would have had at the median ratio, so `delta` is the excess spend.
 *
 * @example
 * rules:
 *   - type: verbose-output
 *     ratio: 2
 *     window_days: 14
 *     min_history_days: 7
 *     min_output_cost_usd: 10
 */
export const verboseOutputRule: RuleDefinition<VerboseOutputRule> = {
  type: 'verbose-output',
  summary:
    "A workload × model's output/input token ratio reaches 2× its trailing 14-day median with ≥ $10 of output.",
  schema,
  keys: Object.keys(schema.shape),
  example: ruleExample('verbose-output', 'warning', {
    ratio: 2,
    window_days: 14,
    min_history_days: 7,
    min_output_cost_usd: 10,
  }),
  evaluate(ctx, rule) {
    const outputCostName = metricName('output_cost', rule.cost_metric);
    // Output per input-side token.
    const series = inputSideRatio(ctx, rule.cost_metric, 'tokens_output', isTokenUsage);
    const { grid, factsOf } = series;
    const enoughOutputCost = grid.atLeast(outputCostName, usd(rule.min_output_cost_usd));
    return judgeAgainstTrailing({
      grid,
      context: ctx,
      settings: rule,
      measure: series.measure,
      labelsOf: series.labelsOf,
      judge: (candidate) => {
        const { day, key, slot, value: ratioToday } = candidate;
        // The cheap test first: a day short of the output cost needs no median.
        if (!enoughOutputCost(slot)) return null;
        // The median must be at most today's ratio ÷ the rule's ratio to fire; when fewer than half the history
        // days are (with a margin far above rounding), it is not, and no sort is needed.
        const highestUsual = (ratioToday / rule.ratio) * (1 + 1e-9);
        if (
          candidate.historyCountWithin(Number.NEGATIVE_INFINITY, highestUsual) * 2 <
          candidate.historyDays
        ) {
          return null;
        }
        const usual = candidate.historyMedian((v) => v);
        if (usual <= 0) return null;
        const multiple = ratioToday / usual;
        if (multiple < rule.ratio) return null;
        const outputCost = grid.moneyAt(outputCostName, slot);
        const expected = scaleMoney(outputCost, usual / ratioToday);
        const delta = (outputCost - expected) as Money;
        const outputTokens = grid.numberAt('tokens_output', slot);
        const inputTokens = grid.numberAt('tokens_input_side', slot);
        const history = candidate.history;
        const outputFacts = (d: string) => factsOf(key, d).filter((f) => f.usageKind === 'output');
        const [workload = '', model = ''] = splitTupleKey(key);
        return {
          figures: {
            today: outputCost,
            baseline: expected,
            ratio: multiple,
            delta,
            output_ratio: ratioToday,
            baseline_output_ratio: usual,
            output_tokens: outputTokens,
            input_tokens: inputTokens,
            history_days: history.length,
          },
          why: [
            `${workload} on ${model} wrote ${formatDecimal(ratioToday)} output tokens per input token on ${day}, ${formatTimes(multiple)} its ${rule.window_days}-day median of ${formatDecimal(usual)} (${history.length} days of history)`,
            `Output cost ${formatUsd(outputCost)} on ${formatCount(outputTokens)} output tokens; at the usual ratio it would have been about ${formatUsd(expected)} (+${formatUsd(delta)})`,
            `Fires at ≥ ${rule.ratio}× the median with ≥ ${formatUsd(usd(rule.min_output_cost_usd))} of output cost`,
          ],
          contributors: topContributors({
            today: outputFacts(day),
            baseline: { kind: 'median', days: history.map((h) => outputFacts(h.day)) },
            dimensions: ['iam_principal', 'usage_type'],
            metric: rule.cost_metric,
          }),
        };
      },
    });
  },
};
