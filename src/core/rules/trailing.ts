import type { DailyFact } from '../facts/daily-fact.js';
import { daysBefore } from './day-math.js';
import type { FindingLabels } from './finding.js';
import type { FindingDraft, RuleResult } from './rule-definition.js';
import { type DaySeries, factsOn, sortedKeys } from './series.js';

/** Settings shared by the rules that compare a day with its own trailing median. */
export interface TrailingSettings {
  window_days: number;
  min_history_days: number;
}

/**
 * The days of the trailing window on which `measure` is defined (the series had data), oldest first. Days with no
 * data are left out rather than counted as zero: a ratio or share of nothing is not a data point.
 */
export function trailingHistory<T>(
  series: DaySeries,
  day: string,
  settings: TrailingSettings,
  measure: (facts: readonly DailyFact[]) => T | null,
): { day: string; facts: readonly DailyFact[]; value: T }[] {
  const out: { day: string; facts: readonly DailyFact[]; value: T }[] = [];
  for (const d of daysBefore(day, settings.window_days)) {
    const facts = factsOn(series, d);
    if (facts.length === 0) continue;
    const value = measured(measure, facts);
    if (value !== null) out.push({ day: d, facts, value });
  }
  return out;
}

/** One series on one reported day with enough history to be judged against its trailing median. */
export interface TrailingDay<T> {
  day: string;
  key: string;
  today: readonly DailyFact[];
  value: T;
  labels: FindingLabels;
  history: { day: string; facts: readonly DailyFact[]; value: T }[];
}

/**
 * The loop every "today vs its own trailing median" rule shares: for each reported day and series, measure
 * today, skip days the measure is undefined on, and report a series with too little history as learning;
 * `judge` decides the rest. Order: days, then series keys sorted, so findings are deterministic.
 */
export function judgeAgainstTrailing<T>(input: {
  series: ReadonlyMap<string, DaySeries>;
  days: readonly string[];
  settings: TrailingSettings;
  measure: (facts: readonly DailyFact[]) => T | null;
  labelsOf: (key: string, today: readonly DailyFact[]) => FindingLabels;
  judge: (candidate: TrailingDay<T>) => FindingDraft | null;
}): RuleResult {
  const result: RuleResult = { findings: [], learning: [] };
  for (const day of input.days) {
    for (const key of sortedKeys(input.series)) {
      const series = input.series.get(key)!;
      const today = factsOn(series, day);
      const value = input.measure(today);
      if (value === null) continue;
      const labels = input.labelsOf(key, today);
      const history = trailingHistory(series, day, input.settings, input.measure);
      if (history.length < input.settings.min_history_days) {
        result.learning.push({ day, labels, reason: learningReason(history.length, input.settings) });
        continue;
      }
      const finding = input.judge({ day, key, today, value, labels, history });
      if (finding) result.findings.push(finding);
    }
  }
  return result;
}

export function learningReason(historyDays: number, settings: TrailingSettings): string {
  return `learning: ${historyDays} of ${settings.min_history_days} days of history in the last ${settings.window_days}`;
}

// Each day sits in `window_days` windows of its series; its measure is computed once. Keyed by the measure
// function and the series' facts array for that day (the same array object every time), both weakly held.
const measures = new WeakMap<object, WeakMap<readonly DailyFact[], unknown>>();

function measured<T>(
  measure: (facts: readonly DailyFact[]) => T | null,
  facts: readonly DailyFact[],
): T | null {
  let byFacts = measures.get(measure);
  if (!byFacts) {
    byFacts = new WeakMap();
    measures.set(measure, byFacts);
  }
  if (byFacts.has(facts)) return byFacts.get(facts) as T | null;
  const value = measure(facts);
  byFacts.set(facts, value);
  return value;
}
