import type { Severity } from '../rules/finding.js';

export type NotificationState = 'CLAIMED' | 'SENT';

/**
 * One notification-log record per (receiver integration, group key): Alertmanager's nflog entry plus a
 * claim. While CLAIMED, the firing set, severity and amount are those being sent; a CLAIMED record
 * whose lease has run out is taken as sent at claim time (the sender may have died after posting).
 */
export interface LogEntry {
  receiver: string;
  groupKey: string;
  /** Bumped by every write; claims, commits and releases are compare-and-set on it. */
  version: number;
  state: NotificationState;
  firingFingerprints: readonly string[];
  maxSeverity: Severity;
  /** Exact decimal string of the group's Σ today (core/money formatMoney), never a float. */
  amount: string;
  /** Claim time of the send this record describes. */
  lastSentAtMs: number;
  leaseUntilMs: number;
  /** Derived EXPIRED and the DynamoDB TTL: 2 × repeat interval after the send. */
  expiresAtEpochSec: number;
  /** Conditions the last send reported as resolved (Alertmanager's resolved set); absent on older records. */
  resolvedFingerprints?: readonly string[] | undefined;
  /** First day (YYYY-MM-DD) of the current firing of each condition in `firingFingerprints`. */
  firingSince?: Readonly<Record<string, string>> | undefined;
}

/**
 * A record that still lists firing conditions must outlive an acknowledged condition's silence (no repeats
 * while it fires): after this long without a message, an acknowledged condition is announced again as new.
 */
export const FIRING_RECORD_MIN_TTL_MS = 90 * 86_400_000;

/**
 * Record expiry, as Alertmanager's `expiry := 2 * repeat`; a record with firing conditions lives at least
 * FIRING_RECORD_MIN_TTL_MS, so an acknowledged condition is not re-announced when its record expires.
 */
export function expiresAtEpochSec(sentAtMs: number, repeatIntervalMs: number, firing = false): number {
  const ttl = firing ? Math.max(2 * repeatIntervalMs, FIRING_RECORD_MIN_TTL_MS) : 2 * repeatIntervalMs;
  return Math.ceil((sentAtMs + ttl) / 1000);
}

/** The record a successful claim writes: CLAIMED, counted as sent at claim time should the sender never return. */
export function claimedEntry(
  claim: Readonly<{
    receiver: string;
    groupKey: string;
    claimedAtMs: number;
    leaseUntilMs: number;
    firingFingerprints: readonly string[];
    maxSeverity: LogEntry['maxSeverity'];
    amount: string;
    expiresAtEpochSec: number;
    resolvedFingerprints?: readonly string[] | undefined;
    firingSince?: Readonly<Record<string, string>> | undefined;
  }>,
  version: number,
): LogEntry {
  return {
    receiver: claim.receiver,
    groupKey: claim.groupKey,
    version,
    state: 'CLAIMED',
    firingFingerprints: [...claim.firingFingerprints],
    maxSeverity: claim.maxSeverity,
    amount: claim.amount,
    lastSentAtMs: claim.claimedAtMs,
    leaseUntilMs: claim.leaseUntilMs,
    expiresAtEpochSec: claim.expiresAtEpochSec,
    ...(claim.resolvedFingerprints ? { resolvedFingerprints: [...claim.resolvedFingerprints] } : {}),
    ...(claim.firingSince ? { firingSince: { ...claim.firingSince } } : {}),
  };
}
