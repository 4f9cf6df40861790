import type { Alert } from '../alerting/alert.js';
import { formatMention } from '../alerting/owners.js';
import { alertActionsBlock } from '../interactivity/actions.js';
import { conditionOf, encodeConditions } from '../interactivity/condition-ref.js';
import { formatUsd } from '../money.js';
import {
  describeContributor,
  formatRatio,
  groupSeverity,
  headlineOf,
  isAllResolved,
  isProvisional,
  leadAlert,
  type NotificationContent,
  REASON_NOTES,
  resolvedLine,
  SEVERITY_EMOJI,
  sinceNote,
} from './notification-content.js';
import {
  escapeMrkdwn,
  fitSlackMessage,
  type SlackBlock,
  type SlackMessage,
  truncateSlackText,
} from './slack-kit.js';

const MAX_LISTED = 10;
const MAX_CONTRIBUTORS = 5;

function mrkdwnSection(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text } };
}

/**
 * The Slack message for one group: headline with the figure, provisional banner, why, contributors, owner.
 * Every data value is mrkdwn-escaped (the top-level `text` too), so the only mention is the owner's, and the
 * message is fitted to Block Kit's limits.
 */
export function renderSlackMessage(
  content: NotificationContent,
  options: { actions?: boolean | undefined } = {},
): SlackMessage {
  if (isAllResolved(content)) return renderResolvedSlackMessage(content);
  const lead = leadAlert(content.alerts);
  const severity = groupSeverity(content);
  const headline = `${SEVERITY_EMOJI[severity]} ${headlineOf(lead.finding)}`;
  const mention = content.owner?.mention ? formatMention(content.owner.mention) : undefined;
  const provisional = isProvisional(content);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline, emoji: true } },
  ];
  if (provisional) {
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `:hourglass_flowing_sand: *Provisional* — ${lead.finding.day} is not complete in CUR yet (tags and principals lag 24–48 h). Figures may change; this will not page.`,
        },
      ],
    });
  }
  if (lead.finding.why.length > 0) {
    blocks.push(mrkdwnSection(lead.finding.why.map((line) => `• ${escapeMrkdwn(line)}`).join('\n')));
  }
  const contributors = lead.finding.contributors.slice(0, MAX_CONTRIBUTORS);
  if (contributors.length > 0) {
    const lines = contributors.map((c) => {
      const { figures } = describeContributor(c);
      return `• ${escapeMrkdwn(c.dimension)} \`${escapeMrkdwn(short(c.value))}\`: ${figures}`;
    });
    blocks.push(mrkdwnSection(`*Top contributors*\n${lines.join('\n')}`));
  }
  const others = content.alerts.filter((a) => a !== lead);
  if (others.length > 0) {
    const lines = others.slice(0, MAX_LISTED).map(otherLine);
    if (others.length > MAX_LISTED) lines.push(`…and ${others.length - MAX_LISTED} more`);
    blocks.push(mrkdwnSection(`*Also in this group*\n${lines.join('\n')}`));
  }
  const resolved = content.resolved ?? [];
  if (resolved.length > 0) {
    const lines = resolved
      .slice(0, MAX_LISTED)
      .map((a) => `• :white_check_mark: ${escapeMrkdwn(resolvedLine(a))}`);
    if (resolved.length > MAX_LISTED) lines.push(`…and ${resolved.length - MAX_LISTED} more`);
    blocks.push(mrkdwnSection(`*Resolved in this group*\n${lines.join('\n')}`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: contextLine(content, lead, mention) }] });
  if (options.actions !== false) blocks.push(...actionBlocks(content, lead));
  // The fallback is mrkdwn too: the headline's workload is data, the mention is the one we built.
  // The headline is cut on its own, so a long tag can never push the owner mention out of the fallback.
  const text = [
    truncateSlackText(escapeMrkdwn(headline), 1000),
    provisional ? '(provisional)' : undefined,
    mention,
  ]
    .filter(Boolean)
    .join(' ');
  return fitSlackMessage({ text, blocks });
}

/**
 * Acknowledge / Snooze / Not an anomaly (issue 12), acting on the message's conditions, lead first. A
 * button value holds at most 2000 characters: conditions that do not fit are named in a note, and a
 * message whose lead condition alone does not fit carries no buttons (`bedrock-cost silence add` still works).
 */
function actionBlocks(content: NotificationContent, lead: Alert): SlackBlock[] {
  const conditions = [lead, ...content.alerts.filter((a) => a !== lead)].map(conditionOf);
  const { value, included, omitted } = encodeConditions(conditions);
  const note = (text: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
  if (value === null)
    return [note('No buttons: the labels of this condition are too long for a Slack button value.')];
  const blocks: SlackBlock[] = [];
  if (omitted > 0)
    blocks.push(
      note(`Buttons apply to the first ${included} of ${included + omitted} conditions in this message.`),
    );
  blocks.push(alertActionsBlock(value));
  return blocks;
}

// A label value longer than this is cut in messages, so one long tag cannot crowd out the rest.
const LABEL_MAX = 200;
const short = (value: string) => truncateSlackText(value, LABEL_MAX);

/** Empty and `*` ("several, none dominant") label values say nothing in a message. */
function shown(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== '*';
}

function otherLine(alert: Alert): string {
  const f = alert.finding;
  const ratio = f.figures.ratio === null ? '' : ` (${formatRatio(f.figures.ratio)})`;
  const model = shown(f.labels.model) ? ` · model \`${escapeMrkdwn(short(f.labels.model))}\`` : '';
  return `• ${SEVERITY_EMOJI[alert.severity]} ${escapeMrkdwn(short(f.name))}${model}: ${formatUsd(f.figures.today)}${ratio}`;
}

function contextLine(content: NotificationContent, lead: Alert, mention: string | undefined): string {
  const labels = lead.finding.labels;
  const parts = [
    mention ? `Owner: ${mention}` : undefined,
    ...(['workload', 'model', 'team', 'account'] as const)
      .filter((name) => shown(labels[name]))
      .map((name) => `${name} \`${escapeMrkdwn(short(labels[name]!))}\``),
    `rule \`${escapeMrkdwn(lead.finding.rule)}\``,
    sinceNote(content, lead),
    REASON_NOTES[content.reason],
  ];
  return parts.filter(Boolean).join(' · ');
}

/** Every condition of the group has ended: one short message, no mention (nobody needs to act). */
function renderResolvedSlackMessage(content: NotificationContent): SlackMessage {
  const resolved = content.resolved ?? [];
  const lead = leadAlert(resolved);
  const workload = lead.finding.labels.workload || 'Bedrock';
  const headline = `:white_check_mark: Resolved: ${workload} — ${resolved.length === 1 ? resolvedLine(lead) : `${resolved.length} conditions ended`}`;
  const lines = resolved.slice(0, MAX_LISTED).map((a) => `• ${escapeMrkdwn(resolvedLine(a))}`);
  if (resolved.length > MAX_LISTED) lines.push(`…and ${resolved.length - MAX_LISTED} more`);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline, emoji: true } },
    mrkdwnSection(lines.join('\n')),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `No new finding over the rule's resolve-after final days · rule \`${escapeMrkdwn(lead.finding.rule)}\` · ${REASON_NOTES[content.reason]}`,
        },
      ],
    },
  ];
  return fitSlackMessage({ text: truncateSlackText(escapeMrkdwn(headline), 1000), blocks });
}
