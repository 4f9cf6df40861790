import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { parseMoney, parseQuantity } from '../../../../src/core/money.js';
import {
  type EvaluateRulesResult,
  evaluateRulesOnFacts as evaluateRules,
} from '../../../../src/core/rules/evaluate-rules.js';
import { parseRules } from '../../../../src/core/rules/parse-rules.js';
import type { ParsedRule } from '../../../../src/core/rules/registry.js';
import type { UtilizationData } from '../../../../src/core/rules/utilization.js';
import { addDays } from '../../../../src/core/time/days.js';

export const ACCOUNT = '111111111111';
export const OTHER_ACCOUNT = '222222222222';
export const SONNET = 'anthropic.claude-sonnet-4';
export const OPUS = 'anthropic.claude-opus-4';
export const HAIKU = 'anthropic.claude-haiku-4-5';

const TIERS: Record<string, DailyFact['modelTier']> = {
  [SONNET]: 'standard',
  [OPUS]: 'premium',
  [HAIKU]: 'economy',
};

type FactInput = Partial<Omit<DailyFact, 'costUnblended' | 'costNet'>> & { cost?: string; costNet?: string };

/** A fact with realistic defaults: prod account, support-bot workload, Sonnet input tokens, $0. */
export function fact(input: FactInput = {}): DailyFact {
  const { cost = '0', costNet, ...rest } = input;
  const usageDate = rest.usageDate ?? '2026-06-14';
  const model = rest.model ?? SONNET;
  return {
    usageDate,
    billingPeriod: usageDate.slice(0, 7),
    payerAccount: ACCOUNT,
    usageAccount: ACCOUNT,
    usageAccountName: 'ml-prod',
    region: 'us-east-1',
    billingPath: 'first_party',
    model,
    modelFamily: model.replace(/^anthropic\./, ''),
    modelProvider: 'anthropic',
    modelTier: TIERS[model] ?? 'standard',
    usageKind: 'input',
    serviceTier: 'standard',
    routing: 'in_region',
    context: 'standard',
    resourceKind: 'foundation-model',
    resourceId: '',
    usageType: `USE1-${model}-${rest.usageKind ?? 'input'}-tokens`,
    workload: 'support-bot',
    team: 'support',
    costCenter: 'cc-100',
    environment: 'prod',
    accountEnvironment: 'prod',
    attributionSource: 'resource_tag',
    iamPrincipal: `arn:aws:iam::${ACCOUNT}:role/support-bot`,
    lineItemType: 'Usage',
    tokens: 0,
    usageAmount: parseQuantity(String(rest.tokens ?? 0)),
    pricingUnit: 'tokens',
    lineItems: 1,
    sourceExport: 'test-export',
    snapshotId: 'snap-1',
    ...rest,
    costUnblended: parseMoney(cost),
    costNet: parseMoney(costNet ?? cost),
  };
}

/** One fact per day, ending on `lastDay`, with costs (dollars) oldest first. */
export function dailyCosts(lastDay: string, costs: readonly number[], base: FactInput = {}): DailyFact[] {
  return costs.map((cost, i) =>
    fact({ ...base, usageDate: addDays(lastDay, i - costs.length + 1), cost: cost.toString() }),
  );
}

/** `count` days of the same facts ending the day before `day`. */
export function history(day: string, count: number, make: (usageDate: string) => DailyFact[]): DailyFact[] {
  const out: DailyFact[] = [];
  for (let back = count; back >= 1; back -= 1) out.push(...make(addDays(day, -back)));
  return out;
}

export function rules(...raw: Record<string, unknown>[]): ParsedRule[] {
  const parsed = parseRules(raw);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.rules;
}

/** Long after every test day, so days are final unless a test says otherwise. */
export const FINAL = new Date('2027-01-01T00:00:00Z');

export function evaluate(input: {
  facts: readonly DailyFact[];
  rules: ParsedRule[];
  days: readonly string[];
  newestUsageHour?: Date | null;
  now?: Date;
  utilization?: UtilizationData;
  maxFindings?: number;
}): EvaluateRulesResult {
  return evaluateRules({
    facts: input.facts,
    rules: input.rules,
    days: input.days,
    now: input.now ?? FINAL,
    completeness: { finalAfterHours: 48 },
    newestUsageHour: input.newestUsageHour === undefined ? FINAL : input.newestUsageHour,
    maxFindings: input.maxFindings ?? 200,
    ...(input.utilization ? { utilization: input.utilization } : {}),
  });
}
