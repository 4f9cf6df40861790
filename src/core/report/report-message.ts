import { canonicalJson, sha256Hex } from '../keys.js';
import type { SnsMessage } from '../render/sns-message.js';
import { toSnsSubject } from '../render/sns-message.js';

/** Notification-log group key of a scheduled report: one send per receiver integration and period. */
export function reportGroupKey(report: 'weekly-digest' | 'provisioned-review', period: string): string {
  return `report:${report}:${period}`;
}

/**
 * An SNS publish for email subscribers: a plain-text body (no JSON envelope, unlike alert pages), an ASCII
 * subject, and FIFO ids that repeat for a re-send of the same report so the topic drops the duplicate.
 */
export function reportSnsMessage(input: {
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
