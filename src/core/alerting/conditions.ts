import { conditionKey } from '../keys.js';
import type { Finding, Severity } from '../rules/finding.js';
import { addDays, daysBetween } from '../time/days.js';
import { isDayFinal } from '../watermark.js';
import { severityRank } from './alert.js';

/**
 * Alert conditions (issue 12, DESIGN §8): a finding's rule and labels without the day identify a condition
 * (core/keys conditionKey). Every day of an ongoing condition is the same condition: it is notified when it
 * starts, repeated by interval or escalation, and resolved once, as an Alertmanager alert is.
 */

/**
 * Final days without a finding after which a condition resolves, by rule type. A spike is an event: one quiet
 * day ends it. Conditions that describe a state of the estate (traffic in the wrong account, an idle
 * commitment, untagged spend) can pause over a weekend without having ended, so they wait three days.
 * Any other rule: two days. A rule's `resolve_after_days` overrides these.
 */
export const DEFAULT_RESOLVE_AFTER_DAYS: Readonly<Record<string, number>> = {
  'spend-spike': 1,
  'dev-in-prod': 3,
  'idle-provisioned': 3,
  'untagged-spend': 3,
};
export const FALLBACK_RESOLVE_AFTER_DAYS = 2;

/** Resolve-after days for a rule type, with a configured override. */
export function resolveAfterDaysFor(ruleType: string, configured?: number | undefined): number {
  return configured ?? DEFAULT_RESOLVE_AFTER_DAYS[ruleType] ?? FALLBACK_RESOLVE_AFTER_DAYS;
}

export type ConditionStatus = 'firing' | 'resolved';

/** A condition as one run sees it over its evaluated days. */
export interface ConditionView {
  key: string;
  status: ConditionStatus;
  /** The finding of the newest day the condition was found on: what a message shows. */
  finding: Finding;
  /** First and last day found within the evaluated days. */
  firstDay: string;
  lastDay: string;
  /** Days with a finding within the evaluated days. */
  daysFound: number;
  /** Final days since `lastDay` that must pass without a finding for the condition to resolve. */
  resolveAfterDays: number;
}

export interface ConditionOptions {
  /**
   * Newest evaluated day that is final (core/watermark). Quiet final days count towards resolution; a
   * provisional day without the finding proves nothing yet. null: no day is final, nothing resolves.
   */
  lastFinalDay: string | null;
  /** Resolve-after days for a finding (by its rule instance); default: by rule type. */
  resolveAfterDays?: ((finding: Finding) => number) | undefined;
}

/**
 * Folds findings (any number of days) into conditions. A condition is resolved when at least its
 * resolve-after days of final days have passed since the last day it was found; otherwise it is firing.
 * Output order: by condition key.
 */
export function conditionsOf(findings: readonly Finding[], options: ConditionOptions): ConditionView[] {
  const byKey = new Map<string, Finding[]>();
  for (const finding of findings) {
    const key = conditionKey(finding);
    const list = byKey.get(key);
    if (list) list.push(finding);
    else byKey.set(key, [finding]);
  }
  const out: ConditionView[] = [];
  for (const [key, list] of byKey) {
    const days = [...new Set(list.map((f) => f.day))].sort();
    const firstDay = days[0]!;
    const lastDay = days.at(-1)!;
    const finding = representative(list.filter((f) => f.day === lastDay));
    const resolveAfterDays = options.resolveAfterDays
      ? options.resolveAfterDays(finding)
      : resolveAfterDaysFor(finding.rule);
    out.push({
      key,
      status: isResolved(lastDay, options.lastFinalDay, resolveAfterDays) ? 'resolved' : 'firing',
      finding,
      firstDay,
      lastDay,
      daysFound: days.length,
      resolveAfterDays,
    });
  }
  return out.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Resolved once `resolveAfterDays` final days after `lastDay` have passed: lastDay + N ≤ lastFinalDay. */
export function isResolved(lastDay: string, lastFinalDay: string | null, resolveAfterDays: number): boolean {
  return lastFinalDay !== null && addDays(lastDay, resolveAfterDays) <= lastFinalDay;
}

/** Two rule instances of one type can find the same condition on one day: the more severe, then larger one wins. */
function representative(sameDay: readonly Finding[]): Finding {
  return [...sameDay].sort(
    (a, b) =>
      severityRank(b.severity) - severityRank(a.severity) ||
      (b.figures.today > a.figures.today ? 1 : b.figures.today < a.figures.today ? -1 : 0) ||
      (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0),
  )[0]!;
}

/** Newest of `days` that is final by the watermark, or null. */
export function lastFinalDayOf(
  days: readonly string[],
  newestUsageHour: Date | null,
  finalAfterHours: number,
): string | null {
  for (let i = days.length - 1; i >= 0; i -= 1) {
    if (isDayFinal(days[i]!, newestUsageHour, finalAfterHours)) return days[i]!;
  }
  return null;
}

/** Age of a condition in days on `asOf`, counting its first day (a condition found today is 1 day old). */
export function conditionAgeDays(since: string, asOf: string): number {
  return since > asOf ? 0 : daysBetween(since, asOf).length;
}

/**
 * How often a still-firing condition is repeated when its route sets no `repeat_interval`: a page every day
 * (someone must act), a warning weekly, an info monthly.
 */
export const DEFAULT_REPEAT_INTERVAL_BY_SEVERITY: Readonly<Record<Severity, string>> = {
  page: '1d',
  warning: '7d',
  info: '30d',
};

/**
 * Condition options for a detect run: the newest final evaluated day, and each rule instance's
 * `resolve_after_days` (by the finding's rule name) over the defaults by rule type.
 */
export function conditionOptionsFor(input: {
  rules: readonly { name: string; type: string; resolve_after_days?: number | undefined }[];
  days: readonly string[];
  newestUsageHour: Date | null;
  finalAfterHours: number;
}): ConditionOptions {
  const configured = new Map(input.rules.map((r) => [r.name, r.resolve_after_days]));
  return {
    lastFinalDay: lastFinalDayOf(input.days, input.newestUsageHour, input.finalAfterHours),
    resolveAfterDays: (finding) => resolveAfterDaysFor(finding.rule, configured.get(finding.name)),
  };
}
