import { z } from 'zod';
import type { UsageKind } from '../facts/daily-fact.js';
import { formatUsd, type Money, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { INPUT_SIDE_USAGE_KINDS, isUsageFact, TOKEN_USAGE_KINDS } from './fact-filters.js';
import { labelsFor } from './labels.js';
import { type RuleDefinition, ruleSchema } from './rule-definition.js';
import { indexSeries, seriesKey, splitSeriesKey, sumCostOfKinds, sumTokens } from './series.js';
import { median, scaleMoney } from './stats.js';
import { judgeAgainstTrailing } from './trailing.js';
import { formatCount, formatDecimal, formatTimes } from './wording.js';

const OUTPUT: ReadonlySet<UsageKind> = new Set(['output']);

const schema = ruleSchema('verbose-output', 'warning', {
  /** Output per input-side token on D must reach this multiple of the trailing median. */
  ratio: z.number().gt(1).default(2),
  window_days: z.number().int().min(2).max(90).default(14),
  min_history_days: z.number().int().min(1).max(90).default(7),
  /** Output-token cost on D; below it a verbose day is not worth a message. */
  min_output_cost_usd: z.number().nonnegative().default(10),
}).refine((r) => r.min_history_days <= r.window_days, {
  message: 'min_history_days must not exceed window_days',
  path: ['min_history_days'],
});

export type VerboseOutputRule = z.output<typeof schema>;

function outputRatio(facts: Parameters<typeof sumTokens>[0]): number | null {
  const inputSide = sumTokens(facts, INPUT_SIDE_USAGE_KINDS);
  if (inputSide <= 0) return null;
  return sumTokens(facts, OUTPUT) / inputSide;
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
  example: `rules:
  - type: verbose-output
    severity: warning
    ratio: 2
    window_days: 14
    min_history_days: 7
    min_output_cost_usd: 10
`,
  evaluate(ctx, rule) {
    const tokenFacts = ctx.facts.filter((f) => isUsageFact(f) && TOKEN_USAGE_KINDS.has(f.usageKind));
    const byModel = indexSeries(tokenFacts, (f) => seriesKey(f.workload, f.model));
    return judgeAgainstTrailing({
      series: byModel,
      days: ctx.days,
      settings: rule,
      measure: outputRatio,
      labelsOf: (key, today) => {
        const [workload = '', model = ''] = splitSeriesKey(key);
        return labelsFor(today, rule.cost_metric, { workload, model });
      },
      judge: ({ day, key, today, value: ratioToday, labels, history }) => {
        const [workload = '', model = ''] = splitSeriesKey(key);
        const usual = median(history.map((h) => h.value));
        if (usual <= 0) return null;
        const multiple = ratioToday / usual;
        const outputCost = sumCostOfKinds(today, OUTPUT, rule.cost_metric);
        if (multiple < rule.ratio || outputCost < usd(rule.min_output_cost_usd)) return null;
        const expected = scaleMoney(outputCost, usual / ratioToday);
        const delta = (outputCost - expected) as Money;
        const outputTokens = sumTokens(today, OUTPUT);
        const inputTokens = sumTokens(today, INPUT_SIDE_USAGE_KINDS);
        return {
          day,
          severity: rule.severity,
          labels,
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
            today: today.filter((f) => f.usageKind === 'output'),
            baseline: {
              kind: 'median',
              days: history.map((h) => h.facts.filter((f) => f.usageKind === 'output')),
            },
            dimensions: ['iam_principal', 'usage_type'],
            metric: rule.cost_metric,
          }),
        };
      },
    });
  },
};
