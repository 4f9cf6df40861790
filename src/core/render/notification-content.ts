import { type Alert, severityRank, snapshotOf } from '../alerting/alert.js';
import type { NotifyReason } from '../alerting/decide.js';
import type { Labels } from '../alerting/labels.js';
import type { Owner } from '../alerting/owners.js';
import { HELD_DELIVERY_RULE } from '../facts/delivery-checks.js';
import { formatMoney, formatUsd } from '../money.js';
import type { Contributor, Finding, Severity } from '../rules/finding.js';

/** Everything a renderer needs about one group about to be sent. */
export interface NotificationContent {
  receiver: string;
  groupKey: string;
  groupLabels: Labels;
  /** The firing (not muted) alerts of the group; empty only in a `resolved` message. */
  alerts: readonly Alert[];
  /** Conditions of the group that ended since the last message (sent where the receiver has send_resolved). */
  resolved?: readonly Alert[] | undefined;
  /** First day of the current firing of each firing condition (by alert fingerprint), from the notification log. */
  firingSince?: Readonly<Record<string, string>> | undefined;
  reason: NotifyReason;
  owner?: Owner | undefined;
}

/** True when nothing in the group fires any more: the message says the group's conditions ended. */
export function isAllResolved(content: NotificationContent): boolean {
  return content.alerts.length === 0;
}

/** The alerts a message is about: the firing ones, or in an all-resolved message the resolved ones. */
export function messageAlerts(content: NotificationContent): readonly Alert[] {
  return content.alerts.length > 0 ? content.alerts : (content.resolved ?? []);
}

/** "firing since 2026-06-15 (17 days)" for a condition alert older than its newest day, else undefined. */
export function sinceNote(content: NotificationContent, alert: Alert): string | undefined {
  const since = content.firingSince?.[alert.fingerprint] ?? alert.condition?.firstDay;
  if (since === undefined || since >= alert.finding.day) return undefined;
  const days = Math.round((Date.parse(alert.finding.day) - Date.parse(since)) / 86_400_000) + 1;
  return `firing since ${since} (${days} days)`;
}

/** "resolved: support-bot dev-in-prod, last found 2026-06-30" — one line per resolved condition. */
export function resolvedLine(alert: Alert): string {
  const f = alert.finding;
  const title = RULE_TITLES[f.rule] ?? f.rule;
  return `${f.labels.workload || 'Bedrock'} ${title} (${f.name}): last found ${alert.condition?.lastDay ?? f.day}`;
}

/** Short names for rule ids in headlines; unknown rules show their id. */
export const RULE_TITLES: Readonly<Record<string, string>> = {
  'spend-spike': 'Bedrock spend',
  'verbose-output': 'verbose output',
  'cache-regression': 'prompt-cache regression',
  'model-mix-shift': 'premium model mix shift',
  'idle-provisioned': 'idle provisioned capacity',
  'dev-in-prod': 'non-prod traffic in a prod account',
  'untagged-spend': 'untagged Bedrock spend',
  [HELD_DELIVERY_RULE]: 'CUR delivery held (it would shrink stored spend)',
};

export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  page: ':rotating_light:',
  warning: ':warning:',
  info: ':information_source:',
};

/** The alert a message is about first: highest severity, then largest amount, then fingerprint. */
export function leadAlert(alerts: readonly Alert[]): Alert {
  const sorted = [...alerts].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (b.finding.figures.today > a.finding.figures.today
        ? 1
        : b.finding.figures.today < a.finding.figures.today
          ? -1
          : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  );
  const lead = sorted[0];
  if (!lead) throw new Error('a notification needs at least one firing alert');
  return lead;
}

/** "4.1×" below 10×, "37×" above: more digits would be noise. */
export function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(1)}×`;
}

/** Headline without emoji, e.g. "support-bot Bedrock spend $412.30 on 2026-06-14 — 4.1× the previous day". */
export function headlineOf(finding: Finding): string {
  const { today, ratio } = finding.figures;
  const subject = finding.labels.workload || 'Bedrock';
  if (finding.rule === 'spend-spike') {
    const change =
      ratio === null ? 'new spend (nothing the previous day)' : `${formatRatio(ratio)} the previous day`;
    return `${subject} Bedrock spend ${formatUsd(today)} on ${finding.day} — ${change}`;
  }
  const title = RULE_TITLES[finding.rule] ?? finding.rule;
  const change = ratio === null ? '' : ` — ${formatRatio(ratio)} baseline`;
  return `${subject} ${title}: ${formatUsd(today)} on ${finding.day}${change}`;
}

export function describeContributor(c: Contributor): { label: string; figures: string } {
  const sign = c.delta < 0n ? '−' : '+';
  const deltaAbs = (c.delta < 0n ? -c.delta : c.delta) as typeof c.delta;
  return {
    label: `${c.dimension} ${c.value}`,
    figures: `${formatUsd(c.today)} (${sign}${formatUsd(deltaAbs)} vs ${formatUsd(c.baseline)})`,
  };
}

/** Machine-readable figures: exact decimal strings, never floats. */
export function findingDetails(alert: Alert): Record<string, unknown> {
  const f = alert.finding;
  return {
    rule: f.rule,
    name: f.name,
    day: f.day,
    severity: alert.severity,
    provisional: f.provisional,
    fingerprint: f.fingerprint,
    labels: f.labels,
    today_usd: formatMoney(f.figures.today),
    baseline_usd: formatMoney(f.figures.baseline),
    delta_usd: formatMoney(f.figures.delta),
    ratio: f.figures.ratio,
    why: f.why,
    contributors: f.contributors.map((c) => ({
      dimension: c.dimension,
      value: c.value,
      today_usd: formatMoney(c.today),
      baseline_usd: formatMoney(c.baseline),
      delta_usd: formatMoney(c.delta),
    })),
  };
}

export function isProvisional(content: NotificationContent): boolean {
  return content.alerts.some((a) => a.finding.provisional);
}

export function groupSeverity(content: NotificationContent): Severity {
  return snapshotOf(messageAlerts(content)).maxSeverity;
}

export const REASON_NOTES: Readonly<Record<NotifyReason, string>> = {
  first: 'new',
  'new-in-group': 'new findings in this group',
  escalated: 'escalated since the last message',
  resolved: 'resolved',
  'repeat-elapsed': 'reminder: still firing',
  acknowledged: 'acknowledged',
  none: 'unchanged',
  'in-flight': 'being sent by another run',
};
