import { formatMoney, type Money } from '../money.js';
import { toCsv } from '../report/csv.js';
import type { ProvisionedReview } from './provisioned-review.js';
import { perMillion } from './rates.js';

const money = (v: Money | null) => (v === null ? '' : formatMoney(v));
const num = (v: number | null, digits = 6) =>
  v === null || !Number.isFinite(v) ? '' : String(Math.round(v * 10 ** digits) / 10 ** digits);

export const COMMITMENT_CSV_HEADERS = [
  'quarter',
  'commitment_id',
  'kind',
  'term',
  'direction',
  'model',
  'region',
  'account',
  'workload',
  'team',
  'cost_center',
  'units',
  'hours_paid',
  'unit_hours',
  'cost_usd',
  'first_seen',
  'last_seen',
  'utilization_source',
  'observed_hours',
  'active_hours',
  'idle_hours',
  'unknown_hours',
  'invocations',
  'input_tokens',
  'output_tokens',
  'on_demand_input_usd_per_mtok',
  'on_demand_output_usd_per_mtok',
  'on_demand_equivalent_usd',
  'value_ratio',
  'utilization',
  'break_even_utilization',
  'break_even_tokens_per_hour',
  'bypass_on_demand_usd',
  'recommendation',
  'target_units',
  'effect_usd',
  'effect_per_month_usd',
  'reasons',
] as const;

/** One row per commitment; money as exact decimals, unknowns empty (never 0). */
export function renderCommitmentsCsv(review: ProvisionedReview): string {
  return toCsv(
    COMMITMENT_CSV_HEADERS,
    review.commitments.map((r) => {
      const c = r.commitment;
      const u = r.utilization;
      const observed = u.observedHours > 0;
      return [
        review.quarter,
        c.id,
        c.kind,
        c.term,
        c.direction ?? '',
        c.model,
        c.region,
        c.account,
        c.workload,
        c.team,
        c.costCenter,
        num(c.units, 3),
        num(c.hoursPaid, 3),
        num(c.unitHours, 6),
        formatMoney(c.cost),
        c.firstSeen,
        c.lastSeen,
        u.source ?? '',
        num(u.observedHours, 3),
        num(u.activeHours, 3),
        num(u.idleHours, 3),
        num(u.unknownHours, 3),
        observed ? String(u.invocations) : '',
        observed ? String(u.inputTokens) : '',
        observed ? String(u.outputTokens) : '',
        r.rates.input ? num(perMillion(r.rates.input)) : '',
        r.rates.output ? num(perMillion(r.rates.output)) : '',
        money(r.onDemandEquivalent),
        num(r.valueRatio),
        num(r.utilizationRate),
        num(r.breakEvenUtilization),
        num(r.breakEvenTokensPerHour, 0),
        formatMoney(r.bypass.cost),
        r.recommendation.action,
        r.recommendation.targetUnits === null ? '' : String(r.recommendation.targetUnits),
        money(r.recommendation.effect),
        money(r.recommendation.effectPerMonth),
        r.recommendation.reasons.join(' | '),
      ];
    }),
  );
}

export const CANDIDATE_CSV_HEADERS = [
  'quarter',
  'workload',
  'team',
  'cost_center',
  'model',
  'region',
  'account',
  'days_with_traffic',
  'days',
  'avg_daily_tokens',
  'cv',
  'on_demand_cost_usd',
  'option',
  'kind',
  'units',
  'term',
  'commitment_cost_usd',
  'savings_usd',
  'assumptions',
] as const;

export function renderCandidatesCsv(review: ProvisionedReview): string {
  return toCsv(
    CANDIDATE_CSV_HEADERS,
    review.candidates.map((c) => [
      review.quarter,
      c.workload,
      c.team,
      c.costCenter,
      c.model,
      c.region,
      c.account,
      String(c.daysWithTraffic),
      String(c.days),
      String(c.avgDailyTokens),
      num(c.cv, 4),
      formatMoney(c.onDemandCost),
      c.option,
      c.kind,
      String(c.units),
      c.term,
      formatMoney(c.commitmentCost),
      formatMoney(c.savings),
      c.assumptions.join(' | '),
    ]),
  );
}
