import { conditionAgeDays, conditionsOf } from '../alerting/conditions.js';
import { conditionKey } from '../keys.js';
import type { Money } from '../money.js';
import type { Finding, Severity } from '../rules/finding.js';

export const ANOMALY_STATES = ['provisional', 'open', 'notified', 'muted', 'resolved'] as const;
/**
 * Where an anomaly stands when the digest is written: `provisional` (its day is not final), `open` (final,
 * not yet sent anywhere), `notified` (sent to a receiver), `muted` (silenced or inhibited), `resolved`.
 */
export type AnomalyState = (typeof ANOMALY_STATES)[number];

export interface AnomalyInput {
  finding: Finding;
  state: AnomalyState;
  /** First day of the current firing of the finding's condition, as the notification log knows it. */
  conditionSince?: string | undefined;
}

/** An alert condition (rule + labels without the day) still firing at the end of the digest's final days. */
export interface OpenCondition {
  condition: string;
  rule: string;
  name: string;
  severity: Severity;
  workload: string;
  model: string;
  team: string;
  /** First day of the firing: the notification log's, else the first day found this week. */
  since: string;
  lastFound: string;
  /** Days since `since`, counting both ends, as of the week's last final day. */
  ageDays: number;
  /** The newest day's amount. */
  amount: Money;
  headline: string;
}

export interface WeekAnomaly {
  fingerprint: string;
  day: string;
  rule: string;
  name: string;
  severity: Severity;
  state: AnomalyState;
  workload: string;
  model: string;
  team: string;
  amount: Money;
  delta: Money;
  headline: string;
}

const SEVERITY_RANK: Readonly<Record<Severity, number>> = { page: 0, warning: 1, info: 2 };

/** The week's findings, one per fingerprint, most severe first, then by day and size. */
export function weekAnomalies(inputs: readonly AnomalyInput[], days: readonly string[]): WeekAnomaly[] {
  const inWeek = new Set(days);
  const seen = new Map<string, WeekAnomaly>();
  for (const { finding: f, state } of inputs) {
    if (!inWeek.has(f.day) || seen.has(f.fingerprint)) continue;
    seen.set(f.fingerprint, {
      fingerprint: f.fingerprint,
      day: f.day,
      rule: f.rule,
      name: f.name,
      severity: f.severity,
      state,
      workload: f.labels.workload,
      model: f.labels.model,
      team: f.labels.team,
      amount: f.figures.today,
      delta: f.figures.delta,
      headline: f.why[0] ?? f.rule,
    });
  }
  return [...seen.values()].sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.day < b.day ? -1 : a.day > b.day ? 1 : 0) ||
      (a.delta === b.delta ? 0 : a.delta > b.delta ? -1 : 1) ||
      (a.fingerprint < b.fingerprint ? -1 : 1),
  );
}

/**
 * Conditions still open at the week's last final day (`asOfDay`): found on the week's days and not quiet for
 * their rule's resolve-after days (core/alerting/conditions), oldest first. Empty when no day is final.
 */
export function openConditions(
  inputs: readonly AnomalyInput[],
  days: readonly string[],
  asOfDay: string | null,
): OpenCondition[] {
  if (asOfDay === null) return [];
  const inWeek = new Set(days);
  const findings = inputs.filter((i) => inWeek.has(i.finding.day) && i.finding.day <= asOfDay);
  // The notification log's first day of each condition's current firing, where a receiver was told.
  const since = new Map<string, string>();
  for (const i of findings) {
    if (i.conditionSince === undefined) continue;
    const key = conditionKey(i.finding);
    const known = since.get(key);
    if (known === undefined || i.conditionSince < known) since.set(key, i.conditionSince);
  }
  const out: OpenCondition[] = [];
  for (const view of conditionsOf(
    findings.map((i) => i.finding),
    { lastFinalDay: asOfDay },
  )) {
    if (view.status !== 'firing') continue;
    const f = view.finding;
    const stored = since.get(view.key);
    const start = stored !== undefined && stored < view.firstDay ? stored : view.firstDay;
    out.push({
      condition: view.key,
      rule: f.rule,
      name: f.name,
      severity: f.severity,
      workload: f.labels.workload,
      model: f.labels.model,
      team: f.labels.team,
      since: start,
      lastFound: view.lastDay,
      ageDays: conditionAgeDays(start, asOfDay),
      amount: f.figures.today,
      headline: f.why[0] ?? f.rule,
    });
  }
  return out.sort(
    (a, b) =>
      (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) ||
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      (a.condition < b.condition ? -1 : 1),
  );
}
