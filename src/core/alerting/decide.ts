import { type Money, parseMoney } from '../money.js';
import { type GroupSnapshot, severityRank } from './alert.js';
import type { LogEntry } from './notification-log-entry.js';

export const NOTIFY_REASONS = [
  'first',
  'new-in-group',
  'escalated',
  'resolved',
  'repeat-elapsed',
  'acknowledged',
  'none',
  'in-flight',
] as const;
/**
 * Why a group is (or is not) sent. `first`, `new-in-group`, `escalated`, `resolved` and `repeat-elapsed` send;
 * `acknowledged` (a repeat is due but every firing condition is acknowledged), `none` and `in-flight` stop
 * before the claim.
 */
export type NotifyReason = (typeof NOTIFY_REASONS)[number];

export function shouldSend(reason: NotifyReason): boolean {
  return reason !== 'none' && reason !== 'in-flight' && reason !== 'acknowledged';
}

/**
 * "A much larger amount": the group's Σ of its conditions' newest-day amounts at least this many times the
 * amount last sent counts as an escalation (as does a higher severity).
 */
export const ESCALATION_AMOUNT_FACTOR = 2n;

/** What one run knows about a group beyond its firing snapshot. */
export interface DecideContext {
  /** Conditions of the group that are resolved now (found in the evaluated days, then quiet long enough). */
  resolvedFingerprints: readonly string[];
  /** Firing conditions acknowledged during their current firing: no repeats for them. */
  acknowledged: ReadonlySet<string>;
  /** The receiver integration wants "resolved" messages. */
  sendResolved: boolean;
}

/**
 * Alertmanager's dedup decision (`needsUpdate`) plus escalation and acknowledgement, over the group's last
 * log entry. Pure: the caller reads the entry and supplies `nowMs`.
 * - nothing sent before, the record expired, or the last message left nothing firing: `first` when
 *   something fires;
 * - nothing fires any more but the last message listed firing conditions: `resolved` (sent where the receiver
 *   has send_resolved, else only recorded so a later firing is new again);
 * - higher severity or ≥ ESCALATION_AMOUNT_FACTOR × the amount: `escalated`;
 * - a condition fires that the last message did not list: `new-in-group`;
 * - a condition the last message listed as firing is now resolved, and the receiver sends resolved: send;
 * - otherwise repeat once `repeatIntervalMs` has passed, unless every firing condition is acknowledged.
 */
export function decide(
  entry: LogEntry | null,
  group: GroupSnapshot,
  repeatIntervalMs: number,
  nowMs: number,
  context: DecideContext = { resolvedFingerprints: [], acknowledged: new Set(), sendResolved: false },
): NotifyReason {
  const firing = group.firingFingerprints;
  if (entry === null || entry.expiresAtEpochSec * 1000 <= nowMs) return firing.length > 0 ? 'first' : 'none';
  if (entry.state === 'CLAIMED' && entry.leaseUntilMs > nowMs) return 'in-flight';
  const sent = new Set(entry.firingFingerprints);
  if (firing.length === 0) return sent.size > 0 ? 'resolved' : 'none';
  // The last message said everything had ended (or nothing fired): this is a new firing.
  if (sent.size === 0) return 'first';
  if (severityRank(group.maxSeverity) > severityRank(entry.maxSeverity)) return 'escalated';
  if (amountEscalated(parseMoney(entry.amount), group.totalAmount)) return 'escalated';
  if (firing.some((f) => !sent.has(f))) return 'new-in-group';
  if (context.sendResolved && context.resolvedFingerprints.some((f) => sent.has(f))) return 'resolved';
  if (entry.lastSentAtMs + repeatIntervalMs <= nowMs) {
    return firing.every((f) => context.acknowledged.has(f)) ? 'acknowledged' : 'repeat-elapsed';
  }
  return 'none';
}

function amountEscalated(lastSent: Money, now: Money): boolean {
  return now > lastSent && now >= lastSent * ESCALATION_AMOUNT_FACTOR;
}
