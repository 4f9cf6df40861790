import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { parseQuantity } from '../../../../src/core/money.js';
import type { CommitmentUtilization, UtilizationPoint } from '../../../../src/core/review/utilization.js';
import { addDays } from '../../../../src/core/time/days.js';
import { dfact } from '../../../helpers/digest-facts.js';

export const NOVA = 'amazon.nova-2-lite';
export const ACCT_A = '111111111111';
export const ACCT_B = '222222222222';
export const PT_USED = `arn:aws:bedrock:us-east-1:${ACCT_A}:provisioned-model/pt-docs`;
export const PT_BYPASSED = `arn:aws:bedrock:us-east-1:${ACCT_B}:provisioned-model/pt-bypassed`;

export function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** A Provisioned Throughput hour charge for one day: `units` MUs × 24 h at `hourly` USD per MU-hour. */
export function ptDay(
  day: string,
  input: {
    arn: string;
    account: string;
    units: number;
    hourly: string;
    term: 'NoCommit' | '1month' | '6month';
    workload?: string;
    hours?: number;
  },
): DailyFact {
  const hours = input.hours ?? 24;
  const cost = (Number(input.hourly) * input.units * hours).toFixed(6);
  return dfact({
    usageDate: day,
    usageAccount: input.account,
    model: NOVA,
    usageKind: 'provisioned_hours',
    serviceTier: 'provisioned',
    resourceKind: 'provisioned-model',
    resourceId: input.arn,
    usageType: `USE1-Nova2.0Lite-ProvisionedThroughput-${input.term}-ModelUnits`,
    usageAmount: parseQuantity(String(input.units * hours)),
    pricingUnit: 'hours',
    workload: input.workload ?? 'doc-summarizer',
    team: 'content',
    costCenter: 'cc-200',
    cost,
  });
}

/** Standard-tier on-demand Nova 2 Lite traffic for one day at $0.33/M input, $2.75/M output. */
export function onDemandDay(
  day: string,
  account: string,
  inputTokens: number,
  outputTokens: number,
  workload = 'search-rerank',
): DailyFact[] {
  const base = {
    usageDate: day,
    usageAccount: account,
    model: NOVA,
    workload,
    team: 'search',
    costCenter: 'cc-200',
  };
  return [
    dfact({
      ...base,
      usageKind: 'input',
      tokens: inputTokens,
      cost: ((inputTokens / 1e6) * 0.33).toFixed(9),
    }),
    dfact({
      ...base,
      usageKind: 'output',
      tokens: outputTokens,
      cost: ((outputTokens / 1e6) * 2.75).toFixed(9),
    }),
  ];
}

/** Hourly readings for every hour of the given days. */
export function hourly(
  commitmentId: string,
  dayList: readonly string[],
  point: (hourStart: string) => Omit<UtilizationPoint, 'start' | 'periodSeconds'>,
): CommitmentUtilization {
  const points: UtilizationPoint[] = [];
  for (const day of dayList) {
    for (let h = 0; h < 24; h++) {
      const start = `${day}T${String(h).padStart(2, '0')}:00:00.000Z`;
      points.push({ start, periodSeconds: 3600, ...point(start) });
    }
  }
  return { commitmentId, source: 'test', points };
}

/**
 * June of a bypassed commitment: 1 MU no-commit Nova 2 Lite at $60.50/h in account B, while the same
 * account sends the model's traffic on-demand (200M input + 20M output tokens a day).
 */
export function bypassedJune(workload = 'search-rerank'): DailyFact[] {
  const june = days('2026-06-01', '2026-06-30');
  return [
    ...june.map((d) =>
      ptDay(d, { arn: PT_BYPASSED, account: ACCT_B, units: 1, hourly: '60.5', term: 'NoCommit', workload }),
    ),
    ...june.flatMap((d) => onDemandDay(d, ACCT_B, 200_000_000, 20_000_000, workload)),
  ];
}
