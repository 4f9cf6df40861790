import type { DailyFact } from '../facts/daily-fact.js';
import type { CostMetric } from '../facts/fact-filters.js';
import { type Money, ZERO } from '../money.js';
import { quarterDays } from '../time/quarter.js';
import { dayFinalAt, isDayFinal } from '../watermark.js';
import {
  type CandidateScan,
  type CommitmentPrice,
  commitmentCandidates,
  observedCommitmentPrices,
} from './candidates.js';
import {
  type CommitmentReview,
  RECOMMENDATION_ACTIONS,
  type RecommendationAction,
  reviewCommitment,
} from './commitment-review.js';
import { commitmentInventory } from './commitments.js';
import { OnDemandRates } from './rates.js';
import type { ReviewOptions } from './review-options.js';
import { type CommitmentUtilization, summarizeUtilization } from './utilization.js';

export interface BuildReviewInput {
  quarter: string;
  /** Facts of the quarter (other days are ignored). */
  facts: readonly DailyFact[];
  utilization: readonly CommitmentUtilization[];
  /** Name of the utilization source (`cloudwatch`, `file:…`), or null when none is configured. */
  utilizationSource: string | null;
  newestUsageHour: Date | null;
  finalAfterHours: number;
  now: Date;
  options: ReviewOptions;
}

export interface ProvisionedReview {
  kind: 'provisioned-review';
  quarter: string;
  generatedAt: string;
  costMetric: CostMetric;
  days: string[];
  finalDays: string[];
  complete: boolean;
  /** When the first non-final day becomes final; null when complete. */
  finalAt: string | null;
  asOf: string | null;
  utilizationSource: string | null;
  commitments: CommitmentReview[];
  totals: {
    commitmentCost: Money;
    /** Σ on-demand equivalent of the commitments that could be valued. */
    onDemandEquivalent: Money;
    /** Σ effect of the recommended changes (reduce, expire, move). */
    savingsFromChanges: Money;
    candidateSavings: Money;
    byAction: Record<RecommendationAction, { count: number; effect: Money }>;
  };
  candidates: CandidateScan['candidates'];
  candidateNotes: string[];
  prices: CommitmentPrice[];
}

/**
 * The quarterly provisioned-commitment review, pure: inventory of every Provisioned Throughput and Reserved
 * tier commitment in CUR, utilization from the given readings (missing = unknown), economics at on-demand
 * rates observed in the same CUR, a recommendation per commitment, and on-demand workloads that would be
 * cheaper on a commitment. Only final days count.
 */
export function buildProvisionedReview(input: BuildReviewInput): ProvisionedReview {
  const days = quarterDays(input.quarter);
  const finalDays = days.filter((d) => isDayFinal(d, input.newestUsageHour, input.finalAfterHours));
  const finalSet = new Set(finalDays);
  const facts = input.facts.filter((f) => finalSet.has(f.usageDate));
  const metric = input.options.costMetric;
  const inventory = commitmentInventory(facts, metric);
  const rates = new OnDemandRates(facts, metric);
  const byId = new Map(input.utilization.map((u) => [u.commitmentId, u]));
  const commitments = inventory.map((c) =>
    reviewCommitment(
      c,
      summarizeUtilization(c, byId.get(c.id), input.utilizationSource),
      facts,
      rates,
      input.options,
    ),
  );
  const prices = observedCommitmentPrices(inventory);
  const scan = commitmentCandidates(facts, finalDays, prices, rates, input.options);

  const byAction = Object.fromEntries(
    RECOMMENDATION_ACTIONS.map((a) => [a, { count: 0, effect: ZERO }]),
  ) as ProvisionedReview['totals']['byAction'];
  let cost = 0n;
  let equivalent = 0n;
  let savings = 0n;
  for (const r of commitments) {
    cost += r.commitment.cost;
    equivalent += r.onDemandEquivalent ?? 0n;
    const slot = byAction[r.recommendation.action];
    slot.count += 1;
    slot.effect = (slot.effect + (r.recommendation.effect ?? 0n)) as Money;
    if (r.recommendation.action !== 'keep' && r.recommendation.action !== 'verify') {
      savings += r.recommendation.effect ?? 0n;
    }
  }
  const firstPending = days.find((d) => !finalSet.has(d));
  return {
    kind: 'provisioned-review',
    quarter: input.quarter,
    generatedAt: input.now.toISOString(),
    costMetric: metric,
    days,
    finalDays,
    complete: finalDays.length === days.length,
    finalAt: firstPending ? dayFinalAt(days.at(-1)!, input.finalAfterHours).toISOString() : null,
    asOf: input.newestUsageHour?.toISOString() ?? null,
    utilizationSource: input.utilizationSource,
    commitments,
    totals: {
      commitmentCost: cost as Money,
      onDemandEquivalent: equivalent as Money,
      savingsFromChanges: savings as Money,
      candidateSavings: scan.candidates.reduce((n, c) => n + c.savings, 0n) as Money,
      byAction,
    },
    candidates: scan.candidates,
    candidateNotes: scan.notes,
    prices,
  };
}
