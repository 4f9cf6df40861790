import { z } from 'zod';
import type { DailyFact } from '../facts/daily-fact.js';
import { isChargeFact } from '../facts/fact-filters.js';
import { splitTupleKey } from '../keys.js';
import { formatUsd, type Money, usd, ZERO } from '../money.js';
import { NON_PROD_ENVIRONMENTS } from '../normalize/attribution.js';
import { topContributors } from './contributors.js';
import { dominantValue, labelsFor } from './labels.js';
import { type FindingDraft, type RuleDefinition, ruleSchema } from './rule-definition.js';
import { metricName } from './rule-series.js';

const schema = ruleSchema('dev-in-prod', 'warning', {
  /** Attributed environment values (case-insensitive, exact) that count as non-prod. */
  non_prod_environments: z
    .array(z.string().min(1))
    .min(1)
    .default([...NON_PROD_ENVIRONMENTS]),
  min_cost_usd: z.number().nonnegative().default(1),
});

export type DevInProdRule = z.output<typeof schema>;

function accountName(facts: readonly DailyFact[]): string {
  const account = dominantValue(facts, (f) => f.usageAccount, 'unblended');
  if (account === '*') return 'several prod accounts';
  const name = facts.find((f) => f.usageAccount === account)?.usageAccountName ?? '';
  return name !== '' && name !== account ? `prod account ${name} (${account})` : `prod account ${account}`;
}

/**
 * Spend in an account classified prod whose attributed environment (tag on the inference profile or principal) is a
 * non-prod value: test traffic on production quotas and budgets. Counts every charge (commitment fees included),
 * never tax or credits. One finding per workload and day.
 *
 * @example
 * rules:
 *   - type: dev-in-prod
 *     min_cost_usd: 1
 *     non_prod_environments: [dev, development, test, testing, staging, stage, sandbox, qa, uat]
 */
export const devInProdRule: RuleDefinition<DevInProdRule> = {
  type: 'dev-in-prod',
  summary:
    'Spend ≥ $1 in a prod-classified account whose attributed environment is dev/test/staging/sandbox.',
  schema,
  keys: Object.keys(schema.shape),
  example: `rules:
  - type: dev-in-prod
    severity: warning
    min_cost_usd: 1
    non_prod_environments: [dev, development, test, testing, staging, stage, sandbox, qa, uat]
`,
  evaluate(ctx, rule) {
    const nonProd = new Set(rule.non_prod_environments.map((e) => e.trim().toLowerCase()));
    const isMisplaced = (environment: string) => nonProd.has(environment.trim().toLowerCase());
    const grid = ctx.series.prodEnvironment;
    const cost = metricName('charge_cost', rule.cost_metric);
    // Series keys are workload × environment; a workload is judged on the sum of its non-prod environments.
    const byWorkload = new Map<string, string[]>();
    for (const key of grid.keys) {
      const [workload = '', environment = ''] = splitTupleKey(key);
      if (!isMisplaced(environment)) continue;
      const keys = byWorkload.get(workload);
      if (keys) keys.push(key);
      else byWorkload.set(workload, [key]);
    }
    const workloads = [...byWorkload.keys()].sort();
    const findings: FindingDraft[] = [];
    for (const day of ctx.days) {
      for (const workload of workloads) {
        const keys = byWorkload.get(workload)!;
        if (!keys.some((key) => grid.has(key, day))) continue;
        const total = keys.reduce((sum, key) => sum + grid.money(cost, key, day), 0n) as Money;
        if (total < usd(rule.min_cost_usd)) continue;
        const today = ctx.detail
          .facts({ workload }, day)
          .filter((f) => isChargeFact(f) && f.accountEnvironment === 'prod' && isMisplaced(f.environment));
        const labels = labelsFor(today, rule.cost_metric, { workload, model: '*' });
        const environments = [...new Set(today.map((f) => f.environment))].sort();
        const sources = [...new Set(today.map((f) => f.attributionSource))].sort();
        findings.push({
          day,
          severity: rule.severity,
          labels,
          figures: {
            today: total,
            baseline: ZERO,
            ratio: null,
            delta: total,
            environments: environments.join(','),
          },
          why: [
            `${workload} spent ${formatUsd(total)} on ${day} in ${accountName(today)} while tagged environment ${environments.map((e) => `"${e}"`).join(', ')}`,
            `The environment comes from ${sources.join(', ')} attribution; non-prod values are ${rule.non_prod_environments.join(', ')}`,
            'Move the traffic to a non-prod account, or correct the environment tag if the workload is production',
          ],
          contributors: topContributors({
            today,
            baseline: { kind: 'zero' },
            dimensions: ['account', 'iam_principal', 'model'],
            metric: rule.cost_metric,
          }),
        });
      }
    }
    return { findings, learning: [] };
  },
};
