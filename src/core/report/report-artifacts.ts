import type { SlackMessage } from '../render/slack-kit.js';
import type { SnsMessage } from '../render/sns-message.js';

export interface ReportFile {
  /** File name only (no directory): `bedrock-chargeback-2026-W23.csv`. */
  name: string;
  content: string;
  mimeType: 'text/csv' | 'text/html' | 'application/json';
}

/**
 * Everything a scheduled report delivers, rendered once: files to write, the Slack summary (with which file
 * to upload beside it), the SNS email and the console text. `notReadyReason` is set when the report should
 * not be sent yet (e.g. the week is not final); it is still rendered and written.
 */
export interface ReportArtifacts {
  report: 'weekly-digest' | 'provisioned-review';
  /** `2026-W23`, `2026-Q2`. */
  period: string;
  groupKey: string;
  headline: string;
  files: ReportFile[];
  /** Name of the file in `files` uploaded to Slack with the summary. */
  slackAttachment: string;
  slack: SlackMessage;
  sns: SnsMessage;
  text: string;
  /** Exact decimal of the report's headline total, recorded in the notification log. */
  amount: string;
  notReadyReason: string | null;
}
