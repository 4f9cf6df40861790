import type { FindingLabels } from './finding.js';
import type { FindingDraft, RuleResult } from './rule-definition.js';
import type { SeriesGrid } from './series-grid.js';

/** Settings shared by the rules that compare a day with its own trailing median. */
export interface TrailingSettings {
  window_days: number;
  min_history_days: number;
}

/** One series on one reported day with enough history to be judged against its trailing median. */
export interface TrailingDay<T> {
  day: string;
  key: string;
  /** The series' slot on the day in its grid. */
  slot: number;
  value: T;
  /** Routing labels, computed from the day's facts only when asked (for a finding). */
  labels: () => FindingLabels;
  /** Days of the trailing window on which the measure is defined, oldest first. */
  history: { day: string; slot: number; value: T }[];
}

/**
 * The loop every "today vs its own trailing median" rule shares: for each reported day and series, measure
 * today, skip days the measure is undefined on, and report a series with too little history as learning;
 * `judge` decides the rest. Days of the trailing window on which the measure is undefined (no data, a share of
 * nothing) are left out rather than counted as zero. Order: days, then series keys sorted, so findings are
 * deterministic. Each slot's measure is computed once, however many windows it sits in.
 */
export function judgeAgainstTrailing<T>(input: {
  grid: SeriesGrid;
  days: readonly string[];
  settings: TrailingSettings;
  /** The measure on a slot of the grid, or null where it is undefined. */
  measure: (slot: number) => T | null;
  labelsOf: (key: string, day: string) => FindingLabels;
  judge: (candidate: TrailingDay<T>) => FindingDraft | null;
}): RuleResult {
  const { grid, settings } = input;
  const result: RuleResult = { findings: [], learning: [] };
  const memo: (T | null | undefined)[] = new Array(grid.keys.length * grid.dayCount);
  const measured = (slot: number): T | null => {
    let value = memo[slot];
    if (value === undefined) {
      value = grid.hasAt(slot) ? input.measure(slot) : null;
      memo[slot] = value;
    }
    return value;
  };
  for (const day of input.days) {
    const d = grid.dayIndex(day);
    if (d < 0) continue;
    grid.keys.forEach((key, k) => {
      const slot = grid.slotOf(k, d);
      const value = measured(slot);
      if (value === null) return;
      const history: { day: string; slot: number; value: T }[] = [];
      for (let back = settings.window_days; back >= 1; back -= 1) {
        if (d - back < 0) continue;
        const past = grid.slotOf(k, d - back);
        const v = measured(past);
        if (v !== null) history.push({ day: grid.dayAt(d - back), slot: past, value: v });
      }
      const labels = () => input.labelsOf(key, day);
      if (history.length < settings.min_history_days) {
        result.learning.push({ day, labels: labels(), reason: learningReason(history.length, settings) });
        return;
      }
      const finding = input.judge({ day, key, slot, value, labels, history });
      if (finding) result.findings.push(finding);
    });
  }
  return result;
}

export function learningReason(historyDays: number, settings: TrailingSettings): string {
  return `learning: ${historyDays} of ${settings.min_history_days} days of history in the last ${settings.window_days}`;
}
