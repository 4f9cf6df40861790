import { z } from 'zod';
import type { DailyFact } from '../facts/daily-fact.js';
import { isOnDemandTokens, isProvisionedFee } from '../facts/fact-filters.js';
import { tupleKey } from '../keys.js';
import { formatUsd, type Money, usd, ZERO } from '../money.js';
import { topContributors } from './contributors.js';
import type { FindingLabels } from './finding.js';
import { dominantValue, labelsFor } from './labels.js';
import {
  type FindingDraft,
  type LearningNote,
  type RuleContext,
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
    const findings: FindingDraft[] = [];
    const learning: LearningNote[] = [];
    // Every idle or bypassed day is a finding; the alerting layer folds the days into one condition per
    // commitment (announced once, repeated by interval, resolved when it stops: core/alerting/conditions).
    for (const id of sortedKeys(fees)) {
      for (const day of ctx.days) {
        const paid = paidDay(id, day, factsOn(fees.get(id)!, day), rule);
        if (!paid) continue;
        const verdict = judgeDay(paid, ctx, rule);
        if (verdict === null) continue;
        if (verdict.kind === 'idle') findings.push(finding(paid, rule, idleReport(paid, verdict, rule)));
        else if (verdict.kind === 'bypassed')
          findings.push(finding(paid, rule, bypassReport(paid, verdict, ctx, rule)));
        else learning.push({ day, labels: paid.labels, reason: LEARNING_REASONS[verdict.kind] });
      }
    }
    return { findings, learning };
  },
};

/** A commitment paid on a day: its fee and who it belongs to (the facts' dominant values). */
interface PaidDay {
  id: string;
  day: string;
  fee: Money;
  model: string;
  account: string;
  region: string;
  labels: FindingLabels;
}

/**
 * - `idle`: measured below `max_utilization`;
 * - `bypassed`: no utilization source, and on-demand traffic to the same model, account and region;
 * - `unknown-utilization`, `no-evidence`: not judged (learning).
 */
type DayVerdict =
  | { kind: 'idle'; utilization: number; sourceKey: string; used: Money; idle: Money }
  | { kind: 'bypassed'; bypass: Money }
  | { kind: 'unknown-utilization' }
  | { kind: 'no-evidence' };

const LEARNING_REASONS: Record<'unknown-utilization' | 'no-evidence', string> = {
  'unknown-utilization': 'utilization unknown for this day (a null reading is not zero)',
  'no-evidence': 'no utilization source and no on-demand traffic beside it',
};

function paidDay(
  id: string,
  day: string,
  feeFacts: readonly DailyFact[],
  rule: IdleProvisionedRule,
): PaidDay | null {
  const fee = sumCost(feeFacts, rule.cost_metric);
  if (feeFacts.length === 0 || fee <= 0n) return null;
  const model = dominantValue(feeFacts, (f) => f.model, rule.cost_metric);
  const account = dominantValue(feeFacts, (f) => f.usageAccount, rule.cost_metric);
  const region = dominantValue(feeFacts, (f) => f.region, rule.cost_metric);
  const workload = dominantValue(feeFacts, (f) => f.workload, rule.cost_metric);
  const labels = labelsFor(feeFacts, rule.cost_metric, { workload, model, account, commitment: id });
  return { id, day, fee, model, account, region, labels };
}

/** The decision for one paid day; null when the commitment was used enough. */
function judgeDay(p: PaidDay, ctx: RuleContext, rule: IdleProvisionedRule): DayVerdict | null {
  const lookupKeys = [...new Set([p.id, `${p.account}/${p.region}/${p.model}`])];
  const reading = readUtilization(ctx.utilization, lookupKeys, p.day);
  if (reading.kind === 'measured') {
    if (reading.utilization >= rule.max_utilization) return null;
    const used = scaleMoney(p.fee, Math.max(0, reading.utilization));
    return {
      kind: 'idle',
      utilization: reading.utilization,
      sourceKey: reading.sourceKey,
      used,
      idle: (p.fee - used) as Money,
    };
  }
  if (reading.kind === 'unknown') return { kind: 'unknown-utilization' };
  const bypassKey = tupleKey([p.model, p.account, p.region]);
  const onDemand = ctx.series.onDemand;
  const bypass = onDemand.money(metricName('usage_cost', rule.cost_metric), bypassKey, p.day);
  if (!onDemand.has(bypassKey, p.day) || bypass < usd(rule.min_on_demand_cost_usd) || bypass <= 0n) {
    return { kind: 'no-evidence' };
  }
  return { kind: 'bypassed', bypass };
}

/** What a finding says: its figures, the reasons a reader sees, and who contributed. */
type FindingReport = Pick<FindingDraft, 'figures' | 'why' | 'contributors'>;

function finding(p: PaidDay, rule: IdleProvisionedRule, report: FindingReport): FindingDraft {
  return { day: p.day, severity: rule.severity, labels: p.labels, ...report };
}

function idleReport(
  p: PaidDay,
  v: Extract<DayVerdict, { kind: 'idle' }>,
  rule: IdleProvisionedRule,
): FindingReport {
  return {
    figures: {
      today: p.fee,
      baseline: v.used,
      ratio: moneyRatio(p.fee, v.used),
      delta: v.idle,
      kind: 'idle',
      utilization: v.utilization,
    },
    why: [
      `Provisioned Throughput ${p.id} (${p.model}, ${p.account}, ${p.region}) cost ${formatUsd(p.fee)} on ${p.day} and was ${formatPercent(v.utilization)} utilized`,
      `About ${formatUsd(v.idle)} of it bought idle capacity; fires below ${formatPercent(rule.max_utilization)} utilization (source: ${v.sourceKey})`,
      'Reduce model units, move the traffic onto it, or let it lapse at term end (see the quarterly commitment review)',
    ],
    contributors: [],
  };
}

function bypassReport(
  p: PaidDay,
  v: Extract<DayVerdict, { kind: 'bypassed' }>,
  ctx: RuleContext,
  rule: IdleProvisionedRule,
): FindingReport {
  return {
    figures: {
      today: v.bypass,
      baseline: ZERO,
      ratio: null,
      delta: v.bypass,
      kind: 'bypassed',
      commitment_cost: p.fee,
    },
    why: [
      `Provisioned Throughput ${p.id} (${p.model}, ${p.account}, ${p.region}) cost ${formatUsd(p.fee)} on ${p.day} while ${formatUsd(v.bypass)} of on-demand traffic went to the same model in the same account and region`,
      'Callers that invoke the base model id instead of the provisioned model ARN pay twice: the commitment and on-demand',
      'No utilization source covers this commitment; add CloudWatch or a utilization file to judge idleness directly',
    ],
    contributors: topContributors({
      today: ctx.detail
        .facts({ model: p.model, usageAccount: p.account, region: p.region }, p.day)
        .filter(isOnDemandTokens),
      baseline: { kind: 'zero' },
      dimensions: ['workload', 'iam_principal', 'usage_kind'],
      metric: rule.cost_metric,
    }),
  };
}
