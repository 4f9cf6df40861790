import type { ReceiverSpec } from '../core/alerting/receivers.js';
import { REPORT_FACT_FIELDS } from '../core/facts/report-fields.js';
import { formatMoney } from '../core/money.js';
import { commitmentInventory } from '../core/review/commitments.js';
import { buildProvisionedReview, type ProvisionedReview } from '../core/review/provisioned-review.js';
import { lastEndedQuarter, quarterBounds } from '../core/review/quarter.js';
import { reviewArtifacts } from '../core/review/review-artifacts.js';
import type { ReviewOptions } from '../core/review/review-options.js';
import {
  type CommitmentUtilization,
  commitmentTargets,
  type UtilizationTarget,
} from '../core/review/utilization.js';
import { addDays } from '../core/rules/day-math.js';
import { deliverReport } from './deliver.js';
import { withFactReader } from './fact-reader.js';
import type { FactStore } from './ingest-ports.js';
import {
  type ReportDeliveryDeps,
  type ReportDeliveryEntry,
  type ReportWriter,
  watermarkOf,
} from './weekly-digest.js';

/**
 * Utilization of commitments over [from, to) (ISO instants): CloudWatch `AWS/Bedrock` metrics or a file.
 * A commitment or period the source has nothing for is simply absent: unknown, never zero.
 */
export interface UtilizationSource {
  /** For the report: `cloudwatch`, `file:<path>`. */
  readonly name: string;
  read(request: {
    targets: readonly UtilizationTarget[];
    from: string;
    to: string;
  }): Promise<CommitmentUtilization[]>;
}

export interface ProvisionedReviewDeps extends ReportDeliveryDeps {
  store: FactStore;
  writer: ReportWriter;
  utilization?: UtilizationSource | undefined;
  newestUsageHour?: (() => Promise<Date | null>) | undefined;
}

export interface ProvisionedReviewInput {
  /** `YYYY-Qn`; default: the last quarter that has ended. */
  quarter?: string | undefined;
  options: ReviewOptions;
  finalAfterHours: number;
  sendPartial: boolean;
  receivers: readonly ReceiverSpec[];
  send: boolean;
  leaseMs?: number | undefined;
}

export interface ProvisionedReviewReport {
  quarter: string;
  headline: string;
  complete: boolean;
  files: { name: string; path: string }[];
  totals: {
    commitmentCost: string;
    onDemandEquivalent: string;
    savingsFromChanges: string;
    candidateSavings: string;
  };
  recommendations: { id: string; model: string; action: string; effect: string | null }[];
  utilizationError: string | null;
  notReadyReason: string | null;
  deliveries: ReportDeliveryEntry[];
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
  // Rolled up over the columns the review never reads (principals, tags…): the same sums from fewer rows.
  const facts = await withFactReader(deps.store, (reader) =>
    reader.rollup({ from: first, to: addDays(last, 3) }, REPORT_FACT_FIELDS),
  );
  const newest = await watermarkOf(deps, facts, now);
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
  const files: { name: string; path: string }[] = [];
  for (const file of artifacts.files) files.push({ name: file.name, path: await deps.writer.write(file) });
  const deliveries = await deliverReport(artifacts, input.receivers, input.send, deps, input.leaseMs);
  const t = review.totals;
  return {
    quarter,
    headline: artifacts.headline,
    complete: review.complete,
    files,
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
    notReadyReason: artifacts.notReadyReason,
    deliveries,
    review,
  };
}
