import type { Labels } from '../alerting/labels.js';

/**
 * "Not an anomaly" from a person (issue 12), like Cost Anomaly Detection's anomaly feedback: kept, listed
 * by `bedrock-cost feedback list` and counted in the weekly digest.
 */
export interface FeedbackRecord {
  id: string;
  /** Records made by one button press share it; a reason typed afterwards applies to all of them. */
  interactionId: string;
  verdict: 'not-an-anomaly';
  conditionKey: string;
  rule: string;
  labels: Labels;
  /** Slack user id (`U…`) and display name. */
  userId: string;
  userName: string;
  atMs: number;
  /** Optional; typed into the message after the press. */
  reason: string;
  /** The silence the press created. */
  silenceId: string;
  channel: string;
  messageTs: string;
}

/** Feedback recorded in [fromMs, toMs), for the digest. */
export function feedbackIn(
  records: readonly FeedbackRecord[],
  fromMs: number,
  toMs: number,
): FeedbackRecord[] {
  return records.filter((r) => r.atMs >= fromMs && r.atMs < toMs);
}
