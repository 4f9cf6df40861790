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
  sinceNote,
} from './notification-content.js';
import { printable } from './text-table.js';

/** Plain-text rendering for the console/file notifier and dry runs. */
export function renderConsoleText(content: NotificationContent): string {
  const resolved = content.resolved ?? [];
  if (isAllResolved(content)) {
    const lines = [
      `[RESOLVED] ${leadAlert(resolved).finding.labels.workload || 'Bedrock'}: every condition of this group ended`,
      `receiver: ${content.receiver} · reason: ${REASON_NOTES[content.reason]}`,
      `group: ${content.groupKey}`,
      'resolved:',
      ...resolved.map((a) => `  - ${resolvedLine(a)}`),
    ];
    return `${lines.map(printable).join('\n')}\n`;
  }
  const lead = leadAlert(content.alerts);
  const severity = groupSeverity(content);
  const lines = [`[${severity.toUpperCase()}] ${headlineOf(lead.finding)}`];
  if (isProvisional(content)) {
    lines.push(
      `PROVISIONAL: ${lead.finding.day} is not complete in CUR yet; figures may change and this will not page.`,
    );
  }
  lines.push(
    `receiver: ${content.receiver} · reason: ${REASON_NOTES[content.reason]}${content.owner ? ` · owner: ${content.owner.team}` : ''}`,
  );
  lines.push(`group: ${content.groupKey}`);
  const since = sinceNote(content, lead);
  if (since) lines.push(since);
  if (lead.finding.why.length > 0) lines.push('why:', ...lead.finding.why.map((w) => `  - ${w}`));
  if (lead.finding.contributors.length > 0) {
    lines.push(
      'contributors:',
      ...lead.finding.contributors.map((c) => {
        const d = describeContributor(c);
        return `  - ${d.label}: ${d.figures}`;
      }),
    );
  }
  lines.push('findings:');
  for (const alert of content.alerts) {
    const f = alert.finding;
    const ratio = f.figures.ratio === null ? '' : ` (${formatRatio(f.figures.ratio)})`;
    const labels = Object.entries(f.labels)
      .filter(([, v]) => v)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(`  - ${alert.severity} ${f.name} ${f.day}: ${formatUsd(f.figures.today)}${ratio} ${labels}`);
  }
  if (resolved.length > 0) lines.push('resolved:', ...resolved.map((a) => `  - ${resolvedLine(a)}`));
  return `${lines.map(printable).join('\n')}\n`;
}
