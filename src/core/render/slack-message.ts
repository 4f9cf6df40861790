import type { Alert } from '../alerting/alert.js';
import { formatMention } from '../alerting/owners.js';
import { formatUsd } from '../money.js';
import {
  describeContributor,
  formatRatio,
  groupSeverity,
  headlineOf,
  isProvisional,
  leadAlert,
  type NotificationContent,
  REASON_NOTES,
  SEVERITY_EMOJI,
} from './notification-content.js';

/** A Block Kit block; kept structural so core does not depend on the Slack SDK's types. */
export type SlackBlock = Record<string, unknown>;

/** What `chat.postMessage` takes besides the channel: `text` is the notification and screen-reader fallback. */
export interface SlackMessage {
  text: string;
  blocks: SlackBlock[];
}

// Slack limits: header text 150 chars, section text 3000 chars, 50 blocks per message.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const MAX_LISTED = 10;
const MAX_CONTRIBUTORS = 5;

/** Slack mrkdwn needs only these three escaped; label values and rule notes are data, not markup. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function mrkdwnSection(text: string): SlackBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: truncate(text, SECTION_MAX) } };
}

/** The Slack message for one group: headline with the figure, provisional banner, why, contributors, owner. */
export function renderSlackMessage(content: NotificationContent): SlackMessage {
  const lead = leadAlert(content.alerts);
  const severity = groupSeverity(content);
  const headline = `${SEVERITY_EMOJI[severity]} ${headlineOf(lead.finding)}`;
  const mention = content.owner?.mention ? formatMention(content.owner.mention) : undefined;
  const provisional = isProvisional(content);
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(headline, HEADER_MAX), emoji: true } },
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
      return `• ${c.dimension} \`${escapeMrkdwn(c.value)}\`: ${figures}`;
    });
    blocks.push(mrkdwnSection(`*Top contributors*\n${lines.join('\n')}`));
  }
  const others = content.alerts.filter((a) => a !== lead);
  if (others.length > 0) {
    const lines = others.slice(0, MAX_LISTED).map(otherLine);
    if (others.length > MAX_LISTED) lines.push(`…and ${others.length - MAX_LISTED} more`);
    blocks.push(mrkdwnSection(`*Also in this group*\n${lines.join('\n')}`));
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: contextLine(content, lead, mention) }] });
  const text = [headline, provisional ? '(provisional)' : undefined, mention].filter(Boolean).join(' ');
  return { text, blocks };
}

/** Empty and `*` ("several, none dominant") label values say nothing in a message. */
function shown(value: string | undefined): value is string {
  return value !== undefined && value !== '' && value !== '*';
}

function otherLine(alert: Alert): string {
  const f = alert.finding;
  const ratio = f.figures.ratio === null ? '' : ` (${formatRatio(f.figures.ratio)})`;
  const model = shown(f.labels.model) ? ` · model \`${escapeMrkdwn(f.labels.model)}\`` : '';
  return `• ${SEVERITY_EMOJI[alert.severity]} ${escapeMrkdwn(f.name)}${model}: ${formatUsd(f.figures.today)}${ratio}`;
}

function contextLine(content: NotificationContent, lead: Alert, mention: string | undefined): string {
  const labels = lead.finding.labels;
  const parts = [
    mention ? `Owner: ${mention}` : undefined,
    ...(['workload', 'model', 'team', 'account'] as const)
      .filter((name) => shown(labels[name]))
      .map((name) => `${name} \`${escapeMrkdwn(labels[name]!)}\``),
    `rule \`${escapeMrkdwn(lead.finding.rule)}\``,
    REASON_NOTES[content.reason],
  ];
  return parts.filter(Boolean).join(' · ');
}
