import type { DailyFact } from '../facts/daily-fact.js';
import { daysBefore } from './day-math.js';
import { type DaySeries, factsOn } from './series.js';

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
    const value = measure(facts);
    if (value !== null) out.push({ day: d, facts, value });
  }
  return out;
}

export function learningReason(historyDays: number, settings: TrailingSettings): string {
  return `learning: ${historyDays} of ${settings.min_history_days} days of history in the last ${settings.window_days}`;
}
