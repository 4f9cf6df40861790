import { formatUsd } from '../money.js';
import { textTable } from '../render/text-table.js';
import { dayRange, formatInstant, formatPct } from '../report/format.js';
import { ACTION_LABELS } from './labels.js';
import type { ProvisionedReview } from './provisioned-review.js';

/** The review as plain text: the SNS email body and the console receiver's text. */
export function renderReviewText(review: ProvisionedReview): string {
  const t = review.totals;
  const out: string[] = [];
  out.push(
    `Amazon Bedrock commitment review — ${review.quarter} (${dayRange(review.days[0]!, review.days.at(-1)!)}, UTC)`,
  );
  out.push(
    `Utilization source: ${review.utilizationSource ?? 'none configured'}. Generated ${formatInstant(review.generatedAt)}.`,
  );
  if (!review.complete) {
    out.push(`NOT FINAL: ${review.finalDays.length} of ${review.days.length} days counted.`);
  }
  out.push('');
  out.push(`Commitments:             ${review.commitments.length}`);
  out.push(`Commitment cost:         ${formatUsd(t.commitmentCost)}`);
  out.push(`On-demand equivalent:    ${formatUsd(t.onDemandEquivalent)}`);
  out.push(`Savings from changes:    ${formatUsd(t.savingsFromChanges)}`);
  out.push(
    `New commitment savings:  ${formatUsd(t.candidateSavings)} (${review.candidates.length} candidate(s))`,
  );
  out.push('');
  if (review.commitments.length > 0) {
    out.push(
      textTable(
        ['Model', 'Kind', 'Term', 'Units', 'Cost', 'Utilization', 'Value', 'Recommendation', 'Effect'],
        review.commitments.map((r) => [
          r.commitment.model,
          r.commitment.kind === 'reserved-tier' ? `reserved ${r.commitment.direction ?? ''}` : 'PT',
          r.commitment.term,
          String(r.commitment.units),
          formatUsd(r.commitment.cost),
          r.utilizationRate === null
            ? r.utilization.observedHours > 0
              ? 'n/a'
              : 'unknown'
            : formatPct(r.utilizationRate),
          r.valueRatio === null ? '—' : `${r.valueRatio.toFixed(2)}x`,
          `${ACTION_LABELS[r.recommendation.action]}${r.recommendation.targetUnits === null ? '' : ` -> ${r.recommendation.targetUnits}`}`,
          r.recommendation.effect === null ? '—' : formatUsd(r.recommendation.effect),
        ]),
        [3, 4, 5, 6, 8],
      ),
    );
    out.push('');
    for (const r of review.commitments) {
      out.push(`${r.commitment.id} (${r.commitment.workload}): ${ACTION_LABELS[r.recommendation.action]}`);
      for (const line of r.recommendation.reasons) out.push(`  - ${line}`);
    }
  } else out.push('No Provisioned Throughput or Reserved tier charges in this quarter.');
  out.push('');
  out.push(`CANDIDATES (${review.candidates.length})`);
  for (const c of review.candidates) {
    out.push(
      `  ${c.workload} -> ${c.model} (${c.region}): ${c.option}; on-demand ${formatUsd(c.onDemandCost)}, commitment ${formatUsd(c.commitmentCost)}, saves ${formatUsd(c.savings)}`,
    );
  }
  for (const n of review.candidateNotes) out.push(`  note: ${n}`);
  return `${out.join('\n')}\n`;
}
