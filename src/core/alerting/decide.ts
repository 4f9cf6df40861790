import { type Money, parseMoney } from '../money.js';
import { type GroupSnapshot, severityRank } from './alert.js';
import type { LogEntry } from './notification-log-entry.js';

export const NOTIFY_REASONS = [
  'first',
  'new-in-group',
  'escalated',
  'repeat-elapsed',
  'none',
  'in-flight',
] as const;
/** Why a group is (or is not) sent. The first four send; `none` and `in-flight` stop before the claim. */
export type NotifyReason = (typeof NOTIFY_REASONS)[number];

export function shouldSend(reason: NotifyReason): boolean {
  return reason !== 'none' && reason !== 'in-flight';
}

/** An amount at least this many times the last one sent counts as an escalation. */
export const ESCALATION_AMOUNT_FACTOR = 2n;

/**
 * Alertmanager's dedup decision (`needsUpdate`) plus escalation, over the group's last log entry.
 * Pure: the caller reads the entry and supplies `nowMs`.
 */
export function decide(
  entry: LogEntry | null,
  group: GroupSnapshot,
  repeatIntervalMs: number,
  nowMs: number,
): NotifyReason {
  if (entry === null || entry.expiresAtEpochSec * 1000 <= nowMs) return 'first';
  if (entry.state === 'CLAIMED' && entry.leaseUntilMs > nowMs) return 'in-flight';
  if (severityRank(group.maxSeverity) > severityRank(entry.maxSeverity)) return 'escalated';
  if (amountEscalated(parseMoney(entry.amount), group.totalAmount)) return 'escalated';
  const sent = new Set(entry.firingFingerprints);
  if (group.firingFingerprints.some((f) => !sent.has(f))) return 'new-in-group';
  if (entry.lastSentAtMs + repeatIntervalMs <= nowMs) return 'repeat-elapsed';
  return 'none';
}

function amountEscalated(lastSent: Money, now: Money): boolean {
  return now > lastSent && now >= lastSent * ESCALATION_AMOUNT_FACTOR;
}
