import { type Money, sumMoney } from '../money.js';
import { type Finding, SEVERITIES, type Severity } from '../rules/finding.js';
import type { ConditionStatus, ConditionView } from './conditions.js';
import type { Labels } from './labels.js';

/** Labels the alerting layer adds to a finding's own labels; they win over a finding label of the same name. */
export const ALERT_LABEL_NAMES = ['alertname', 'rule', 'severity', 'day', 'provisional'] as const;

/** A finding as the alerting layer sees it: its label set for matching, and the severity it may act with. */
export interface Alert {
  /** The finding's fingerprint, or for a condition alert its condition key (core/keys conditionKey). */
  fingerprint: string;
  labels: Labels;
  severity: Severity;
  finding: Finding;
  /** Set on alerts built from a condition: its state and the days it was found on. */
  condition?: { status: ConditionStatus; firstDay: string; lastDay: string; daysFound: number } | undefined;
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

/**
 * The alert of a condition: the finding of its newest day (its `day` label is that day, so inhibit rules with
 * `equal: [day]` compare like days), identified by the condition key so every day is the same alert.
 */
export function conditionAlert(view: ConditionView): Alert {
  return {
    ...toAlert(view.finding),
    fingerprint: view.key,
    condition: {
      status: view.status,
      firstDay: view.firstDay,
      lastDay: view.lastDay,
      daysFound: view.daysFound,
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
