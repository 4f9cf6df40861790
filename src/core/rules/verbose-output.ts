import { z } from 'zod';
import type { UsageKind } from '../facts/daily-fact.js';
import { formatUsd, type Money, usd } from '../money.js';
import { topContributors } from './contributors.js';
import { INPUT_SIDE_USAGE_KINDS, isUsageFact, TOKEN_USAGE_KINDS } from './fact-filters.js';
import { labelsFor } from './labels.js';
import { type FindingDraft, type LearningNote, type RuleDefinition, ruleSchema } from './rule-definition.js';
import {
  factsOn,
  indexSeries,
  seriesKey,
  sortedKeys,
  splitSeriesKey,
  sumCostOfKinds,
  sumTokens,
} from './series.js';
import { median, scaleMoney } from './stats.js';
import { learningReason, trailingHistory } from './trailing.js';
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
    const findings: FindingDraft[] = [];
    const learning: LearningNote[] = [];
    for (const day of ctx.days) {
      for (const key of sortedKeys(byModel)) {
        const [workload = '', model = ''] = splitSeriesKey(key);
        const series = byModel.get(key)!;
        const today = factsOn(series, day);
        const ratioToday = outputRatio(today);
        if (ratioToday === null) continue;
        const labels = labelsFor(today, rule.cost_metric, { workload, model });
        const history = trailingHistory(series, day, rule, outputRatio);
        if (history.length < rule.min_history_days) {
          learning.push({ day, labels, reason: learningReason(history.length, rule) });
          continue;
        }
        const usual = median(history.map((h) => h.value));
        if (usual <= 0) continue;
        const multiple = ratioToday / usual;
        const outputCost = sumCostOfKinds(today, OUTPUT, rule.cost_metric);
        if (multiple < rule.ratio || outputCost < usd(rule.min_output_cost_usd)) continue;
        const expected = scaleMoney(outputCost, usual / ratioToday);
        const delta = (outputCost - expected) as Money;
        const outputTokens = sumTokens(today, OUTPUT);
        const inputTokens = sumTokens(today, INPUT_SIDE_USAGE_KINDS);
        findings.push({
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
        });
      }
    }
    return { findings, learning };
  },
};
