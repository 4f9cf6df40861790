import { formatUsd } from '../money.js';
import type { ReportArtifacts } from '../report/report-artifacts.js';
import { reportArtifacts } from '../report/report-message.js';
import type { ProvisionedReview } from './provisioned-review.js';
import { renderCandidatesCsv, renderCommitmentsCsv } from './render-csv.js';
import { renderReviewHtml } from './render-html.js';
import { renderReviewSlack } from './render-slack.js';
import { renderReviewText } from './render-text.js';

export function reviewFileBase(quarter: string): string {
  return `bedrock-commitment-review-${quarter}`;
}

/** Every output of a quarterly review. A quarter with non-final days is not sent unless `sendPartial`. */
export function reviewArtifacts(
  review: ProvisionedReview,
  options: { sendPartial: boolean },
): ReportArtifacts {
  const base = reviewFileBase(review.quarter);
  const headline = `Bedrock commitment review ${review.quarter}: ${review.commitments.length} commitment(s), ${formatUsd(review.totals.commitmentCost)}, changes save ${formatUsd(review.totals.savingsFromChanges)}${review.complete ? '' : ' [not final]'}`;
  return reportArtifacts({
    report: 'provisioned-review',
    period: review.quarter,
    base,
    headline,
    files: [
      { name: `${base}.csv`, content: renderCommitmentsCsv(review), mimeType: 'text/csv' },
      { name: `${base}-candidates.csv`, content: renderCandidatesCsv(review), mimeType: 'text/csv' },
      { name: `${base}.html`, content: renderReviewHtml(review), mimeType: 'text/html' },
    ],
    data: review,
    slack: renderReviewSlack(review),
    text: renderReviewText(review),
    amount: review.totals.commitmentCost,
    notReadyReason:
      review.complete || options.sendPartial
        ? null
        : `${review.quarter} is not final (${review.finalDays.length}/${review.days.length} days); it is sent once its last day is final (${review.finalAt})`,
  });
}
