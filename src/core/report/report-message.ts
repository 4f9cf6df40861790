import { canonicalJson, sha256Hex } from '../keys.js';
import { formatMoney, type Money } from '../money.js';
import type { SlackMessage } from '../render/slack-kit.js';
import type { SnsMessage } from '../render/sns-message.js';
import { toSnsSubject } from '../render/sns-message.js';
import type { ReportArtifacts, ReportFile } from './report-artifacts.js';
import { jsonReportFile } from './to-json.js';

/** Notification-log group key of a scheduled report: one send per receiver integration and period. */
function reportGroupKey(report: 'weekly-digest' | 'provisioned-review', period: string): string {
  return `report:${report}:${period}`;
}

/**
 * An SNS publish for email subscribers: a plain-text body (no JSON envelope, unlike alert pages), an ASCII
 * subject, and FIFO ids that repeat for a re-send of the same report so the topic drops the duplicate.
 */
function reportSnsMessage(input: {
  groupKey: string;
  subject: string;
  body: string;
  rule: 'weekly-digest' | 'provisioned-review';
}): SnsMessage {
  const dedupKey = sha256Hex(input.groupKey);
  return {
    subject: toSnsSubject(input.subject),
    message: input.body,
    attributes: { severity: 'info', rule: input.rule, workload: '*' },
    dedupKey,
    deduplicationId: sha256Hex(canonicalJson({ groupKey: input.groupKey })),
    messageGroupId: dedupKey,
  };
}

/** What a report renders itself; `reportArtifacts` derives the rest. */
export interface RenderedReport {
  report: ReportArtifacts['report'];
  period: string;
  /** File name without extension; `<base>.csv` is the file uploaded to Slack, `<base>.json` holds `data`. */
  base: string;
  headline: string;
  /** The CSV and HTML files, in the order they are written; the JSON file follows them. */
  files: ReportFile[];
  /** The report's data, written as `<base>.json`. */
  data: unknown;
  slack: SlackMessage;
  /** Plain text: the console output and the SNS email body. */
  text: string;
  /** The headline total, recorded in the notification log. */
  amount: Money;
  notReadyReason: string | null;
}

/** Every output of a scheduled report: its rendered parts, the JSON file, the group key and the SNS email. */
export function reportArtifacts(r: RenderedReport): ReportArtifacts {
  const groupKey = reportGroupKey(r.report, r.period);
  return {
    report: r.report,
    period: r.period,
    groupKey,
    headline: r.headline,
    files: [...r.files, jsonReportFile(`${r.base}.json`, r.data)],
    slackAttachment: `${r.base}.csv`,
    slack: r.slack,
    sns: reportSnsMessage({ groupKey, subject: r.headline, body: r.text, rule: r.report }),
    text: r.text,
    amount: formatMoney(r.amount),
    notReadyReason: r.notReadyReason,
  };
}
