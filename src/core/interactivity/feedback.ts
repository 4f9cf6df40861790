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

/** What the weekly digest says about feedback given during the week. */
export interface FeedbackSummary {
  notAnomaly: number;
  /** Per rule, most first (then by rule). */
  byRule: { rule: string; count: number }[];
}

/** Counts "Not an anomaly" feedback given on the UTC days `days` (an ISO week's). */
export function summarizeFeedback(
  records: readonly FeedbackRecord[],
  days: readonly string[],
): FeedbackSummary {
  const inWeek = new Set(days);
  const counts = new Map<string, number>();
  let notAnomaly = 0;
  for (const r of records) {
    if (r.verdict !== 'not-an-anomaly' || !inWeek.has(new Date(r.atMs).toISOString().slice(0, 10))) continue;
    notAnomaly += 1;
    counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);
  }
  const byRule = [...counts]
    .map(([rule, count]) => ({ rule, count }))
    .sort((a, b) => b.count - a.count || (a.rule < b.rule ? -1 : 1));
  return { notAnomaly, byRule };
}
