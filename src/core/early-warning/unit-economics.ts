import { type DailyFact, TOKEN_USAGE_KINDS } from '../facts/daily-fact.js';
import type { Money } from '../money.js';
import type { Confirmation, EarlyWarningState } from './reconcile.js';

/** A workload's unit economics over some days, where CloudWatch metrics were recorded for it. */
export interface UnitEconomicsRow {
  workload: string;
  /** CUR token usage cost of the days (exact). */
  cost: Money;
  invocations: number;
  tokens: number;
  /** cost ÷ invocations, exact to the money scale (truncated); null without invocations. */
  costPerInvocation: Money | null;
  /** tokens ÷ invocations (display); null without invocations. */
  tokensPerInvocation: number | null;
  /** Hours with recorded metrics (whole days only). */
  hours: number;
}

/** The digest's early-warning section: unit economics and the estimates CUR confirmed (estimate ÷ CUR). */
export interface EarlyWarningDigest {
  unitEconomics: UnitEconomicsRow[];
  confirmations: Confirmation[];
}

/**
 * Cost per invocation and tokens per invocation per workload over `days`: invocations and tokens from the
 * hourly metrics the early warning recorded, cost from the CUR facts of the same days (token usage lines). Only
 * days with all 24 hours recorded count, so both sides cover the same time. Workloads without such a day are
 * left out (nothing to divide by); the cost is CUR's, not an estimate.
 */
export function earlyWarningDigest(input: {
  state: EarlyWarningState;
  facts: readonly DailyFact[];
  days: readonly string[];
}): EarlyWarningDigest {
  const days = new Set(input.days);
  // Only whole days: all 24 hours recorded, so invocations and CUR's daily cost cover the same time.
  const perDay = new Map<string, { invocations: number; tokens: number; hours: number }>();
  for (const e of Object.values(input.state.estimates)) {
    const day = e.hour.slice(0, 10);
    if (!days.has(day)) continue;
    const key = `${e.workload}\u0000${day}`;
    const u = perDay.get(key) ?? { invocations: 0, tokens: 0, hours: 0 };
    u.invocations += e.invocations;
    u.tokens += e.tokens;
    u.hours += 1;
    perDay.set(key, u);
  }
  const usage = new Map<string, { invocations: number; tokens: number; hours: number }>();
  const covered = new Set<string>();
  for (const [key, day] of perDay) {
    if (day.hours < 24) continue;
    covered.add(key);
    const workload = key.split('\u0000')[0]!;
    const u = usage.get(workload) ?? { invocations: 0, tokens: 0, hours: 0 };
    u.invocations += day.invocations;
    u.tokens += day.tokens;
    u.hours += day.hours;
    usage.set(workload, u);
  }
  const cost = new Map<string, bigint>();
  for (const f of input.facts) {
    if (!covered.has(`${f.workload}\u0000${f.usageDate}`) || f.lineItemType !== 'Usage') continue;
    if (!TOKEN_USAGE_KINDS.has(f.usageKind)) continue;
    cost.set(f.workload, (cost.get(f.workload) ?? 0n) + f.costUnblended);
  }
  const unitEconomics = [...usage.entries()]
    .map(([workload, u]) => {
      const c = (cost.get(workload) ?? 0n) as Money;
      return {
        workload,
        cost: c,
        invocations: u.invocations,
        tokens: u.tokens,
        costPerInvocation: u.invocations > 0 ? ((c / BigInt(Math.round(u.invocations))) as Money) : null,
        tokensPerInvocation: u.invocations > 0 ? u.tokens / u.invocations : null,
        hours: u.hours,
      };
    })
    .sort((a, b) => (a.cost === b.cost ? (a.workload < b.workload ? -1 : 1) : a.cost > b.cost ? -1 : 1));
  return {
    unitEconomics,
    confirmations: input.state.confirmations.filter((c) => days.has(c.day)),
  };
}
