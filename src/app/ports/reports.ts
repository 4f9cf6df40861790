import type { AnomalyInput } from '../../core/digest/anomalies.js';
import type { SlackMessage } from '../../core/render/slack-kit.js';
import type { ReportFile } from '../../core/report/report-artifacts.js';
import type { CommitmentUtilization, UtilizationTarget } from '../../core/review/utilization.js';
import type { SendOutcome } from './alerting.js';

// Ports of the scheduled reports (app/weekly-digest.ts, app/provisioned-review.ts).

/** Writes a rendered report file; returns where it went (a path or URI). */
export interface ReportWriter {
  write(file: ReportFile): Promise<string>;
}

/** A Slack summary with a file uploaded beside it (in its thread). */
export interface ReportSlackDelivery {
  receiver: string;
  groupKey: string;
  channel: string;
  tokenRef: string;
  message: SlackMessage;
  file: ReportFile;
}

/**
 * Posts the summary, then uploads the file with Slack's external upload flow. Outcomes follow the
 * Notifier contract; once the summary is posted, a failed upload is still `delivered` (with a note), because
 * re-running would post the summary twice.
 */
export interface ReportSlackPublisher {
  publish(delivery: ReportSlackDelivery): Promise<SendOutcome & { note?: string | undefined }>;
}

/** The anomalies (findings and where they stand) on the given days. */
export interface FindingsSource {
  findings(days: readonly string[]): Promise<AnomalyInput[]>;
}

/**
 * Utilization of commitments over [from, to) (ISO instants): CloudWatch `AWS/Bedrock` metrics or a file.
 * A commitment or period the source has nothing for is simply absent: unknown, never zero.
 */
export interface UtilizationSource {
  /** For the report: `cloudwatch`, `file:<path>`. */
  readonly name: string;
  read(request: {
    targets: readonly UtilizationTarget[];
    from: string;
    to: string;
  }): Promise<CommitmentUtilization[]>;
}
