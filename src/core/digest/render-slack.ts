import { formatUsd } from '../money.js';
import { escapeMrkdwn, fitSlackMessage, type SlackBlock, type SlackMessage } from '../render/slack-kit.js';
import {
  dayRange,
  formatChangeRatio,
  formatInstant,
  formatPct,
  formatSignedUsd,
  shortDay,
} from '../report/format.js';
import type { WeeklyDigest } from './weekly-digest.js';

const TOP_LINES = 8;
const TOP_ANOMALIES = 5;
const TOP_MODELS = 5;

const section = (text: string): SlackBlock => ({
  type: 'section',
  text: { type: 'mrkdwn', text },
});
const context = (text: string): SlackBlock => ({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
const field = (label: string, value: string) => ({ type: 'mrkdwn', text: `*${label}*\n${value}` });

/** The Slack summary of a weekly digest (data escaped, within Block Kit limits); the full table goes along as the CSV file. */
export function renderDigestSlack(d: WeeklyDigest): SlackMessage {
  const w = d.window;
  const t = d.totals;
  const headline = `Bedrock chargeback ${d.week} · ${dayRange(w.days[0]!, w.days[6]!)}`;
  const blocks: SlackBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: headline, emoji: true } },
  ];
  if (!w.complete) {
    const pending = w.statuses
      .filter((s) => !s.final)
      .map((s) => `${shortDay(s.day)} (final ${formatInstant(s.finalAt)})`)
      .join(', ');
    blocks.push(
      context(
        `:hourglass_flowing_sand: *Not final:* ${w.finalDays.length} of 7 days counted, data as of ${w.asOf ? formatInstant(w.asOf) : 'n/a'}. Not counted: ${pending}.`,
      ),
    );
  }
  blocks.push({
    type: 'section',
    fields: [
      field('This week', formatUsd(t.thisWeek)),
      field(
        `vs ${w.previousWeek}`,
        `${formatSignedUsd(t.change)} (${formatChangeRatio(t.changeRatio, t.change)})`,
      ),
      field(
        `Month to date${w.month ? ` (${w.month})` : ''}`,
        t.monthToDate === null ? '—' : formatUsd(t.monthToDate),
      ),
      field('Forecast month end', t.forecastMonthEnd === null ? '—' : formatUsd(t.forecastMonthEnd)),
      field('Unallocated', `${formatUsd(t.unallocated)} (${formatPct(t.unallocatedShare)}, ${d.split.mode})`),
      field('Commitment fees', formatUsd(t.commitmentFees)),
    ],
  });
  const lines = [...d.chargeback].sort((a, b) =>
    a.thisWeek === b.thisWeek ? 0 : a.thisWeek > b.thisWeek ? -1 : 1,
  );
  const top = lines
    .filter((r) => r.thisWeek !== 0n)
    .slice(0, TOP_LINES)
    .map(
      (r) =>
        `• ${escapeMrkdwn(r.label)}: *${formatUsd(r.thisWeek)}* (${formatPct(r.share)}, ${formatSignedUsd(r.change)})`,
    );
  if (top.length > 0) blocks.push(section(`*Largest lines*\n${top.join('\n')}`));
  if (d.movers.length > 0) {
    blocks.push(
      section(
        `*Top movers vs ${w.previousWeek}*\n${d.movers
          .map(
            (r) =>
              `• ${escapeMrkdwn(r.label)}: ${formatSignedUsd(r.change)} (${formatChangeRatio(r.changeRatio, r.change)}) → ${formatUsd(r.thisWeek)}`,
          )
          .join('\n')}`,
      ),
    );
  }
  const models = d.byModel.filter((m) => m.thisWeek > 0n).slice(0, TOP_MODELS);
  if (models.length > 0) {
    blocks.push(
      section(
        `*Model mix*\n${models.map((m) => `• \`${escapeMrkdwn(m.key)}\` ${formatPct(m.share)} (${formatUsd(m.thisWeek)})`).join('\n')}\nPremium-tier share of tokens ${formatPct(d.premium.tokenShare)} (last week ${formatPct(d.premium.lastWeekTokenShare)})`,
      ),
    );
  }
  const anomalies =
    d.anomalies.length === 0
      ? '*Anomalies:* none this week'
      : `*Anomalies this week: ${d.anomalies.length}*\n${d.anomalies
          .slice(0, TOP_ANOMALIES)
          .map(
            (a) =>
              `• ${shortDay(a.day)} ${a.severity} \`${escapeMrkdwn(a.name)}\` ${escapeMrkdwn(a.workload)}: ${formatUsd(a.amount)} (${a.state})`,
          )
          .join(
            '\n',
          )}${d.anomalies.length > TOP_ANOMALIES ? `\n…and ${d.anomalies.length - TOP_ANOMALIES} more` : ''}`;
  blocks.push(section(anomalies));
  if (d.openConditions.length > 0) {
    const lines = d.openConditions
      .slice(0, TOP_ANOMALIES)
      .map(
        (c) =>
          `• ${c.severity} \`${escapeMrkdwn(c.name)}\` ${escapeMrkdwn(c.workload)}: since ${shortDay(c.since)} (${c.ageDays} d), ${formatUsd(c.amount)} on ${shortDay(c.lastFound)}`,
      );
    if (d.openConditions.length > TOP_ANOMALIES) {
      lines.push(`…and ${d.openConditions.length - TOP_ANOMALIES} more`);
    }
    blocks.push(section(`*Open conditions: ${d.openConditions.length}*\n${lines.join('\n')}`));
  }
  if (d.feedback && d.feedback.notAnomaly > 0) {
    const rules = d.feedback.byRule.map((r) => `\`${escapeMrkdwn(r.rule)}\` ${r.count}`).join(', ');
    blocks.push(context(`Marked *not an anomaly* from Slack this week: ${d.feedback.notAnomaly} (${rules})`));
  }
  blocks.push(
    context(
      `${d.reconciliation.ok ? ':white_check_mark:' : ':warning:'} ${escapeMrkdwn(d.reconciliation.line)} · full chargeback table (exact decimals) in the attached CSV`,
    ),
  );
  const text = `Bedrock chargeback ${d.week}: ${formatUsd(t.thisWeek)} (${formatChangeRatio(t.changeRatio, t.change)} vs ${w.previousWeek})${w.complete ? '' : ' — not final'}`;
  return fitSlackMessage({ text, blocks });
}
