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
