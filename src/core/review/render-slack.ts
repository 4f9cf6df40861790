import { formatUsd } from '../money.js';
import { escapeMrkdwn, fitSlackMessage, type SlackBlock, type SlackMessage } from '../render/slack-kit.js';
import { dayRange } from '../report/format.js';
import { ACTION_LABELS } from './labels.js';
import type { ProvisionedReview } from './provisioned-review.js';

const MAX_LISTED = 10;

export function renderReviewSlack(review: ProvisionedReview): SlackMessage {
  const t = review.totals;
  const headline = `Bedrock commitment review ${review.quarter} · ${dayRange(review.days[0]!, review.days.at(-1)!)}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline, emoji: true } },
  ];
  if (!review.complete) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: *Not final:* ${review.finalDays.length} of ${review.days.length} days counted.`,
        },
      ],
    });
  }
  blocks.push({
    type: 'section',
    fields: [
      { type: 'mrkdwn', text: `*Commitments*\n${review.commitments.length}` },
      { type: 'mrkdwn', text: `*Commitment cost*\n${formatUsd(t.commitmentCost)}` },
      { type: 'mrkdwn', text: `*On-demand equivalent*\n${formatUsd(t.onDemandEquivalent)}` },
      { type: 'mrkdwn', text: `*Savings from changes*\n${formatUsd(t.savingsFromChanges)}` },
    ],
  });
  const lines = review.commitments.slice(0, MAX_LISTED).map((r) => {
    const c = r.commitment;
    const effect = r.recommendation.effect === null ? '' : ` (${formatUsd(r.recommendation.effect)})`;
    return `• *${ACTION_LABELS[r.recommendation.action]}*${effect} — \`${escapeMrkdwn(c.model)}\` ${c.kind === 'reserved-tier' ? 'Reserved' : 'PT'} ${c.term}, ${c.units} unit(s), ${escapeMrkdwn(c.workload)}: ${escapeMrkdwn(r.recommendation.reasons[0] ?? '')}`;
  });
  if (lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n') } });
  if (review.candidates.length > 0) {
    blocks.push({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Cheaper on a commitment*\n${review.candidates
          .slice(0, 5)
          .map(
            (c) =>
              `• ${escapeMrkdwn(c.workload)} → \`${escapeMrkdwn(c.model)}\`: ${escapeMrkdwn(c.option)}, saves ${formatUsd(c.savings)}`,
          )
          .join('\n')}`,
      },
    });
  }
  blocks.push({
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: 'Utilization with no datapoints is unknown, not zero. Rates are the on-demand rates observed in this CUR. Full table in the attached CSV.',
      },
    ],
  });
  return fitSlackMessage({
    text: `Bedrock commitment review ${review.quarter}: ${review.commitments.length} commitment(s), ${formatUsd(t.commitmentCost)}, recommended changes save ${formatUsd(t.savingsFromChanges)}`,
    blocks,
  });
}
