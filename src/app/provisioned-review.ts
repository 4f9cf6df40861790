import { formatMoney } from '../core/money.js';
import { commitmentInventory } from '../core/review/commitments.js';
import { buildProvisionedReview, type ProvisionedReview } from '../core/review/provisioned-review.js';
import { reviewArtifacts } from '../core/review/review-artifacts.js';
import type { ReviewOptions } from '../core/review/review-options.js';
import { type CommitmentUtilization, commitmentTargets } from '../core/review/utilization.js';
import { addDays } from '../core/time/days.js';
import { lastEndedQuarter, quarterBounds } from '../core/time/quarter.js';
import type { UtilizationSource } from './ports/reports.js';
import {
  type ReportRunDeps,
  type ReportRunOutcome,
  type ReportSendInput,
  readReportFacts,
  writeAndDeliver,
} from './report-delivery.js';

export interface ProvisionedReviewDeps extends ReportRunDeps {
  utilization?: UtilizationSource | undefined;
}

export interface ProvisionedReviewInput extends ReportSendInput {
  /** `YYYY-Qn`; default: the last quarter that has ended. */
  quarter?: string | undefined;
  options: ReviewOptions;
  finalAfterHours: number;
  sendPartial: boolean;
}

export interface ProvisionedReviewReport extends ReportRunOutcome {
  quarter: string;
  totals: {
    commitmentCost: string;
    onDemandEquivalent: string;
    savingsFromChanges: string;
    candidateSavings: string;
  };
  recommendations: { id: string; model: string; action: string; effect: string | null }[];
  utilizationError: string | null;
  review: ProvisionedReview;
}

/**
 * `review provisioned`: inventory the quarter's commitments from the fact store, read their utilization
 * (a failing source makes every commitment "unknown" and is reported, it does not abort the review), build
 * the economics and recommendations, write CSV / HTML / JSON and deliver once per receiver and quarter.
 */
export async function reviewProvisioned(
  input: ProvisionedReviewInput,
  deps: ProvisionedReviewDeps,
): Promise<ProvisionedReviewReport> {
  const now = deps.clock();
  const quarter = input.quarter ?? lastEndedQuarter(now);
  const { first, last } = quarterBounds(quarter);
  const { facts, newest } = await readReportFacts(deps, { from: first, to: addDays(last, 3) }, now);
  const inQuarter = facts.filter((f) => f.usageDate >= first && f.usageDate <= last);

  let utilization: CommitmentUtilization[] = [];
  let utilizationError: string | null = null;
  if (deps.utilization) {
    const targets = commitmentTargets(commitmentInventory(inQuarter, input.options.costMetric));
    if (targets.length > 0) {
      try {
        utilization = await deps.utilization.read({
          targets,
          from: `${first}T00:00:00.000Z`,
          to: `${addDays(last, 1)}T00:00:00.000Z`,
        });
      } catch (error) {
        utilizationError = `${deps.utilization.name}: ${(error as Error).message}`;
      }
    }
  }
  const review = buildProvisionedReview({
    quarter,
    facts: inQuarter,
    utilization,
    utilizationSource: deps.utilization
      ? `${deps.utilization.name}${utilizationError ? ' (failed: treated as unknown)' : ''}`
      : null,
    newestUsageHour: newest,
    finalAfterHours: input.finalAfterHours,
    now,
    options: input.options,
  });
  const artifacts = reviewArtifacts(review, { sendPartial: input.sendPartial });
  const outcome = await writeAndDeliver(artifacts, review.complete, input, deps);
  const t = review.totals;
  return {
    quarter,
    ...outcome,
    totals: {
      commitmentCost: formatMoney(t.commitmentCost),
      onDemandEquivalent: formatMoney(t.onDemandEquivalent),
      savingsFromChanges: formatMoney(t.savingsFromChanges),
      candidateSavings: formatMoney(t.candidateSavings),
    },
    recommendations: review.commitments.map((r) => ({
      id: r.commitment.id,
      model: r.commitment.model,
      action: r.recommendation.action,
      effect: r.recommendation.effect === null ? null : formatMoney(r.recommendation.effect),
    })),
    utilizationError,
    review,
  };
}
