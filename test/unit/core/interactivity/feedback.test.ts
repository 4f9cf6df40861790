import { describe, expect, it } from 'vitest';
import { renderDigestSlack } from '../../../../src/core/digest/render-slack.js';
import { renderDigestText } from '../../../../src/core/digest/render-text.js';
import { buildWeeklyDigest } from '../../../../src/core/digest/weekly-digest.js';
import { type FeedbackRecord, summarizeFeedback } from '../../../../src/core/interactivity/feedback.js';
import { isoWeekDays } from '../../../../src/core/time/iso-week.js';
import { ALL_FINAL, DIGEST_OPTIONS, dfact } from '../../../helpers/digest-facts.js';

const record = (atIso: string, rule: string, verdict = 'not-an-anomaly' as const): FeedbackRecord => ({
  id: `fb-${atIso}-${rule}`,
  interactionId: '0123456789abcdef',
  verdict,
  conditionKey: `cond-${rule}`,
  rule,
  labels: { workload: 'w' },
  userId: 'U0ALICE01',
  userName: 'alice',
  atMs: Date.parse(atIso),
  reason: '',
  silenceId: 's',
  channel: 'C0ALERTS1',
  messageTs: '1.2',
});

// 2026-W23 is Mon 2026-06-01 … Sun 2026-06-07 (UTC).
const RECORDS = [
  record('2026-05-31T23:59:59Z', 'spend-spike'), // the Sunday before
  record('2026-06-01T00:00:00Z', 'spend-spike'),
  record('2026-06-03T12:00:00Z', 'verbose-output'),
  record('2026-06-07T23:59:59Z', 'spend-spike'),
  record('2026-06-08T00:00:00Z', 'dev-in-prod'), // the Monday after
];

const digest = (feedback?: FeedbackRecord[]) =>
  buildWeeklyDigest({
    week: '2026-W23',
    facts: [dfact({ usageDate: '2026-06-03', cost: '10' })],
    newestUsageHour: ALL_FINAL,
    now: new Date('2026-06-10T06:00:00Z'),
    options: DIGEST_OPTIONS,
    anomalies: [],
    ...(feedback ? { feedback } : {}),
  });

describe('feedback in the weekly digest', () => {
  it('counts the week’s "not an anomaly" records per rule, by UTC day', () => {
    expect(summarizeFeedback(RECORDS, isoWeekDays('2026-W23'))).toEqual({
      notAnomaly: 3,
      byRule: [
        { rule: 'spend-spike', count: 2 },
        { rule: 'verbose-output', count: 1 },
      ],
    });
  });

  it('text and Slack digests say how many were marked, only when some were', () => {
    const withFeedback = digest(RECORDS);
    expect(withFeedback.feedback?.notAnomaly).toBe(3);
    expect(renderDigestText(withFeedback)).toContain(
      'Marked "not an anomaly" from Slack this week: 3 (spend-spike 2, verbose-output 1)',
    );
    expect(JSON.stringify(renderDigestSlack(withFeedback).blocks)).toContain(
      'Marked *not an anomaly* from Slack this week: 3 (`spend-spike` 2, `verbose-output` 1)',
    );
    const without = digest();
    expect(without.feedback).toBeUndefined();
    expect(renderDigestText(without)).not.toContain('not an anomaly');
    expect(digest([]).feedback).toBeUndefined();
    expect(digest([RECORDS[0]!]).feedback).toBeUndefined();
  });
});
