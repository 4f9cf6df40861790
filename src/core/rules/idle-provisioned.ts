import { z } from 'zod';
import { isOnDemandTokens, isProvisionedFee } from '../facts/fact-filters.js';
import { tupleKey } from '../keys.js';
import { formatUsd, type Money, usd, ZERO } from '../money.js';
import { topContributors } from './contributors.js';
import { dominantValue, labelsFor } from './labels.js';
import {
  type FindingDraft,
  type LearningNote,
  type RuleDefinition,
  ruleExample,
  ruleSchema,
} from './rule-definition.js';
import { metricName } from './rule-series.js';
import { factsOn, indexSeries, sortedKeys, sumCost } from './series.js';
import { moneyRatio, scaleMoney } from './stats.js';
import { commitmentId, readUtilization } from './utilization.js';
import { formatPercent } from './wording.js';

const schema = ruleSchema('idle-provisioned', 'warning', {
  /** Measured utilization below this fraction (0–1) on a paid day is idle. */
  max_utilization: z.number().gt(0).max(1).default(0.1),
  /** With no utilization source: on-demand cost to the same model/account/region that counts as bypassing. */
  min_on_demand_cost_usd: z.number().nonnegative().default(1),
});

export type IdleProvisionedRule = z.output<typeof schema>;

/**
 * A Provisioned Throughput commitment (facts with usage kind `provisioned_hours`, identified by resource id, else
 * by model/account/region) is paid on D and
 * - its measured utilization (the `utilization` input: CloudWatch or a file) is below `max_utilization`; or
 * - it has no utilization source at all, and on-demand traffic to the same model, account and region keeps
 *   flowing the same day ("bought but bypassed": callers use the base model id, not the provisioned ARN).
 * A null reading is unknown, not zero: no finding, the commitment is listed as learning instead.
 *
 * @example
 * rules:
 *   - type: idle-provisioned
 *     max_utilization: 0.1
 *     min_on_demand_cost_usd: 1
 */
export const idleProvisionedRule: RuleDefinition<IdleProvisionedRule> = {
  type: 'idle-provisioned',
  summary: 'A paid Provisioned Throughput commitment is < 10% utilized, or on-demand traffic bypasses it.',
  schema,
  keys: Object.keys(schema.shape),
  example: ruleExample('idle-provisioned', 'warning', { max_utilization: 0.1, min_on_demand_cost_usd: 1 }),
  evaluate(ctx, rule) {
    const fees = indexSeries(ctx.series.commitmentFees.filter(isProvisionedFee), commitmentId);
    const onDemand = ctx.series.onDemand;
    const onDemandCost = metricName('usage_cost', rule.cost_metric);
    const findings: FindingDraft[] = [];
    const learning: LearningNote[] = [];
    const judge = (id: string, day: string): { finding?: FindingDraft; learning?: LearningNote } | null => {
      const feeFacts = factsOn(fees.get(id)!, day);
      const fee = sumCost(feeFacts, rule.cost_metric);
      if (feeFacts.length === 0 || fee <= 0n) return null;
      const model = dominantValue(feeFacts, (f) => f.model, rule.cost_metric);
      const account = dominantValue(feeFacts, (f) => f.usageAccount, rule.cost_metric);
      const region = dominantValue(feeFacts, (f) => f.region, rule.cost_metric);
      const workload = dominantValue(feeFacts, (f) => f.workload, rule.cost_metric);
      const labels = labelsFor(feeFacts, rule.cost_metric, { workload, model, account, commitment: id });
      const found = (what: Pick<FindingDraft, 'figures' | 'why' | 'contributors'>) => ({
        finding: { day, severity: rule.severity, labels, ...what },
      });
      const lookupKeys = [...new Set([id, `${account}/${region}/${model}`])];
      const reading = readUtilization(ctx.utilization, lookupKeys, day);

      if (reading.kind === 'measured') {
        if (reading.utilization >= rule.max_utilization) return null;
        const used = scaleMoney(fee, Math.max(0, reading.utilization));
        const idle = (fee - used) as Money;
        return found({
          figures: {
            today: fee,
            baseline: used,
            ratio: moneyRatio(fee, used),
            delta: idle,
            kind: 'idle',
            utilization: reading.utilization,
          },
          why: [
            `Provisioned Throughput ${id} (${model}, ${account}, ${region}) cost ${formatUsd(fee)} on ${day} and was ${formatPercent(reading.utilization)} utilized`,
            `About ${formatUsd(idle)} of it bought idle capacity; fires below ${formatPercent(rule.max_utilization)} utilization (source: ${reading.sourceKey})`,
            'Reduce model units, move the traffic onto it, or let it lapse at term end (see the quarterly commitment review)',
          ],
          contributors: [],
        });
      }
      if (reading.kind === 'unknown') {
        return {
          learning: { day, labels, reason: 'utilization unknown for this day (a null reading is not zero)' },
        };
      }
      const bypassKey = tupleKey([model, account, region]);
      const bypass = onDemand.money(onDemandCost, bypassKey, day);
      if (!onDemand.has(bypassKey, day) || bypass < usd(rule.min_on_demand_cost_usd) || bypass <= 0n) {
        return {
          learning: { day, labels, reason: 'no utilization source and no on-demand traffic beside it' },
        };
      }
      return found({
        figures: {
          today: bypass,
          baseline: ZERO,
          ratio: null,
          delta: bypass,
          kind: 'bypassed',
          commitment_cost: fee,
        },
        why: [
          `Provisioned Throughput ${id} (${model}, ${account}, ${region}) cost ${formatUsd(fee)} on ${day} while ${formatUsd(bypass)} of on-demand traffic went to the same model in the same account and region`,
          'Callers that invoke the base model id instead of the provisioned model ARN pay twice: the commitment and on-demand',
          'No utilization source covers this commitment; add CloudWatch or a utilization file to judge idleness directly',
        ],
        contributors: topContributors({
          today: ctx.detail.facts({ model, usageAccount: account, region }, day).filter(isOnDemandTokens),
          baseline: { kind: 'zero' },
          dimensions: ['workload', 'iam_principal', 'usage_kind'],
          metric: rule.cost_metric,
        }),
      });
    };

    // Every idle or bypassed day is a finding; the alerting layer folds the days into one condition per
    // commitment (announced once, repeated by interval, resolved when it stops: core/alerting/conditions).
    for (const id of sortedKeys(fees)) {
      for (const day of ctx.days) {
        const verdict = judge(id, day);
        if (verdict?.learning) learning.push(verdict.learning);
        if (verdict?.finding) findings.push(verdict.finding);
      }
    }
    return { findings, learning };
  },
};
