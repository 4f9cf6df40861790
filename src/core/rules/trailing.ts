import { z } from 'zod';
import type { FindingLabels, Severity } from './finding.js';
import type { FindingDraft, RuleResult } from './rule-definition.js';
import type { SeriesGrid } from './series-grid.js';
import { medianInPlace } from './stats.js';

/** Settings shared by the rules that compare a day with its own trailing median. */
export interface TrailingSettings {
  window_days: number;
  min_history_days: number;
}

/** The config keys of `TrailingSettings`, spread into a rule's `ruleSchema` shape. */
export const TRAILING_WINDOW_KEYS = {
  window_days: z.number().int().min(2).max(90).default(14),
  min_history_days: z.number().int().min(1).max(90).default(7),
};

/** A rule schema with `TRAILING_WINDOW_KEYS`, checked so that the history needed fits in the window. */
export function historyWithinWindow<S extends z.ZodType<TrailingSettings>>(schema: S): S {
  return schema.refine((r) => r.min_history_days <= r.window_days, {
    message: 'min_history_days must not exceed window_days',
    path: ['min_history_days'],
  });
}

/** A day of a trailing window on which the measure is defined. */
export interface HistoryDay<T> {
  day: string;
  slot: number;
  value: T;
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
  /** How many days of the trailing window the measure is defined on. */
  historyDays: number;
  /** The median of a number taken from each history day's value (as `median` of those numbers), no array built. */
  historyMedian: (of: (value: T) => number) => number;
  /** Days of the trailing window on which the measure is defined, oldest first; built when read (for a finding). */
  readonly history: HistoryDay<T>[];
}

/**
 * The loop every "today vs its own trailing median" rule shares: for each reported day and series, measure
 * today, skip days the measure is undefined on, and report a series with too little history as learning;
 * `judge` decides the rest. Days of the trailing window on which the measure is undefined (no data, a share of
 * nothing) are left out rather than counted as zero. Order: days, then series keys sorted, so findings are
 * deterministic. Each slot's measure is computed once, however many windows it sits in, and a candidate's
 * history is walked again (from the memo) rather than kept: millions of candidates are judged, a few report.
 */
export function judgeAgainstTrailing<T>(input: {
  grid: SeriesGrid;
  days: readonly string[];
  settings: TrailingSettings & { severity: Severity };
  /** The measure on a slot of the grid, or null where it is undefined. */
  measure: (slot: number) => T | null;
  labelsOf: (key: string, day: string) => FindingLabels;
  /** What a finding says; its day, severity (the rule's) and labels come from the candidate. */
  judge: (candidate: TrailingDay<T>) => Pick<FindingDraft, 'figures' | 'why' | 'contributors'> | null;
}): RuleResult {
  const { grid, settings } = input;
  const window = settings.window_days;
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
  // One candidate object, refilled for each series-day: judging is synchronous and keeps nothing of it.
  const candidate = new Candidate<T>(grid, memo, window, input.labelsOf);
  for (const day of input.days) {
    const d = grid.dayIndex(day);
    if (d < 0) continue;
    const first = Math.max(0, d - window);
    for (let k = 0; k < grid.keys.length; k++) {
      const slot = grid.slotOf(k, d);
      const value = measured(slot);
      if (value === null) continue;
      const startSlot = grid.slotOf(k, first);
      let historyDays = 0;
      for (let past = startSlot; past < slot; past++) {
        if (measured(past) !== null) historyDays++;
      }
      const key = grid.keys[k]!;
      if (historyDays < settings.min_history_days) {
        result.learning.push({
          day,
          labels: input.labelsOf(key, day),
          reason: learningReason(historyDays, settings),
        });
        continue;
      }
      candidate.fill(day, key, slot, value, historyDays, startSlot, first);
      const judged = input.judge(candidate);
      if (judged)
        result.findings.push({ day, severity: settings.severity, labels: candidate.labels(), ...judged });
    }
  }
  return result;
}

class Candidate<T> implements TrailingDay<T> {
  day = '';
  key = '';
  slot = 0;
  value!: T;
  historyDays = 0;
  private startSlot = 0;
  private firstDay = 0;
  private readonly scratch: Float64Array;

  constructor(
    private readonly grid: SeriesGrid,
    private readonly memo: readonly (T | null | undefined)[],
    window: number,
    private readonly labelsOf: (key: string, day: string) => FindingLabels,
  ) {
    this.scratch = new Float64Array(Math.max(1, window));
  }

  fill(
    day: string,
    key: string,
    slot: number,
    value: T,
    historyDays: number,
    startSlot: number,
    firstDay: number,
  ): void {
    this.day = day;
    this.key = key;
    this.slot = slot;
    this.value = value;
    this.historyDays = historyDays;
    this.startSlot = startSlot;
    this.firstDay = firstDay;
  }

  /** The current series-day's labels (a function value: rules destructure it). */
  readonly labels = (): FindingLabels => this.labelsOf(this.key, this.day);

  readonly historyMedian = (of: (value: T) => number): number => {
    let n = 0;
    for (let past = this.startSlot; past < this.slot; past++) {
      const v = this.memo[past];
      if (v !== null && v !== undefined) this.scratch[n++] = of(v);
    }
    return medianInPlace(this.scratch, n);
  };

  get history(): HistoryDay<T>[] {
    const out: HistoryDay<T>[] = [];
    for (let past = this.startSlot; past < this.slot; past++) {
      const v = this.memo[past];
      if (v !== null && v !== undefined) {
        out.push({ day: this.grid.dayAt(this.firstDay + past - this.startSlot), slot: past, value: v });
      }
    }
    return out;
  }
}

export function learningReason(historyDays: number, settings: TrailingSettings): string {
  return `learning: ${historyDays} of ${settings.min_history_days} days of history in the last ${settings.window_days}`;
}
