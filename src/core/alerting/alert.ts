import { type Money, sumMoney } from '../money.js';
import { type Finding, SEVERITIES, type Severity } from '../rules/finding.js';
import type { Labels } from './labels.js';

/** Labels the alerting layer adds to a finding's own labels; they win over a finding label of the same name. */
export const ALERT_LABEL_NAMES = ['alertname', 'rule', 'severity', 'day', 'provisional'] as const;

/** A finding as the alerting layer sees it: its label set for matching, and the severity it may act with. */
export interface Alert {
  fingerprint: string;
  labels: Labels;
  severity: Severity;
  finding: Finding;
}

/**
 * Builds an alert from a finding. `day` becomes a label so inhibit rules can use it in `equal`.
 * A provisional finding is capped at `warning`: the day is not complete, and provisional findings must
 * never page, whatever the route tree says.
 */
export function toAlert(finding: Finding): Alert {
  const severity: Severity =
    finding.provisional && finding.severity === 'page' ? 'warning' : finding.severity;
  return {
    fingerprint: finding.fingerprint,
    severity,
    finding,
    labels: {
      ...finding.labels,
      alertname: finding.name,
      rule: finding.rule,
      severity,
      day: finding.day,
      provisional: finding.provisional ? 'true' : 'false',
    },
  };
}

export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

export function maxSeverity(severities: Iterable<Severity>): Severity {
  let best: Severity = 'info';
  for (const s of severities) if (severityRank(s) > severityRank(best)) best = s;
  return best;
}

/** What the notification log remembers about a group, and what decide() compares against it. */
export interface GroupSnapshot {
  /** Sorted, so two runs over the same alerts produce the same list. */
  firingFingerprints: readonly string[];
  maxSeverity: Severity;
  /** Σ of the firing findings' `figures.today`. */
  totalAmount: Money;
}

export function snapshotOf(alerts: readonly Alert[]): GroupSnapshot {
  return {
    firingFingerprints: [...new Set(alerts.map((a) => a.fingerprint))].sort(),
    maxSeverity: maxSeverity(alerts.map((a) => a.severity)),
    totalAmount: sumMoney(alerts.map((a) => a.finding.figures.today)),
  };
}
