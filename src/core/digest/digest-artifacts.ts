import { formatUsd } from '../money.js';
import { formatChangeRatio } from '../report/format.js';
import type { ReportArtifacts } from '../report/report-artifacts.js';
import { reportArtifacts } from '../report/report-message.js';
import { renderDigestCsv } from './render-csv.js';
import { renderDigestHtml } from './render-html.js';
import { renderDigestSlack } from './render-slack.js';
import { renderDigestText } from './render-text.js';
import type { WeeklyDigest } from './weekly-digest.js';

export function digestFileBase(week: string): string {
  return `bedrock-chargeback-${week}`;
}

/**
 * Renders every output of a weekly digest. A week with non-final days is not ready to send unless
 * `sendPartialWeeks`: the scheduled run keeps rendering it and sends once, when the week is final.
 */
export function digestArtifacts(
  digest: WeeklyDigest,
  options: { sendPartialWeeks: boolean },
): ReportArtifacts {
  const base = digestFileBase(digest.week);
  const t = digest.totals;
  const partial = digest.window.complete ? '' : ' [not final]';
  const headline = `Bedrock chargeback ${digest.week}: ${formatUsd(t.thisWeek)} (${formatChangeRatio(t.changeRatio, t.change)} vs ${digest.window.previousWeek})${partial}`;
  const text = renderDigestText(digest);
  let notReadyReason: string | null = null;
  if (!digest.reconciliation.ok) {
    notReadyReason = `the chargeback table does not reconcile: ${digest.reconciliation.line}`;
  } else if (!digest.window.complete && !options.sendPartialWeeks) {
    const last = digest.window.statuses.at(-1)!;
    notReadyReason = `${digest.week} is not final (${digest.window.finalDays.length}/7 days); it is sent once ${last.day} is final (${last.finalAt}); set digest.send_partial_weeks to send earlier`;
  }
  return reportArtifacts({
    report: 'weekly-digest',
    period: digest.week,
    base,
    headline,
    files: [
      { name: `${base}.csv`, content: renderDigestCsv(digest), mimeType: 'text/csv' },
      { name: `${base}.html`, content: renderDigestHtml(digest), mimeType: 'text/html' },
    ],
    data: digest,
    slack: renderDigestSlack(digest),
    text,
    amount: t.thisWeek,
    notReadyReason,
  });
}
