import { z } from 'zod';
import type { FindingLabels, Severity } from './finding.js';
import { type FindingDraft, learningNote, type RuleContext, type RuleResult } from './rule-definition.js';
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
export interface HistoryDay {
  day: string;
  slot: number;
  value: number;
}

/** One series on one reported day with enough history to be judged against its trailing median. */
export interface TrailingDay {
  day: string;
  key: string;
  /** The series' slot on the day in its grid. */
  slot: number;
  /** The measure on the day. */
  value: number;
  /** Routing labels, computed from the day's facts only when asked (for a finding). */
  labels: () => FindingLabels;
  /** How many days of the trailing window the measure is defined on. */
  historyDays: number;
  /**
   * The median of a number taken from each history day (its measure and its slot in the grid), as `median` of
   * those numbers, with no array built.
   */
  historyMedian: (of: (value: number, slot: number) => number) => number;
  /**
   * How many history days have a measure within [low, high]: a screen before `historyMedian`, since the median is
   * above `high` when fewer than half the days are at most `high` (and below `low` likewise), with no sort.
   */
  historyCountWithin: (low: number, high: number) => number;
  /** Days of the trailing window on which the measure is defined, oldest first; built when read (for a finding). */
  readonly history: HistoryDay[];
}

/** Memo states of a slot's measure. */
const UNMEASURED = 0;
const DEFINED = 1;
const UNDEFINED = 2;

/**
 * The loop every "today vs its own trailing median" rule shares: for each reported day and series, measure
 * today, skip days the measure is undefined on, and report a series with too little history as learning;
 * `judge` decides the rest. Days of the trailing window on which the measure is undefined (no data, a share of
 * nothing) are left out rather than counted as zero. Order: days, then series keys sorted, so findings are
 * deterministic. Each slot's measure is computed once, however many windows it sits in, into typed arrays (no
 * object or boxed number per slot), and a candidate's history is walked again from them rather than kept:
 * millions of candidates are judged, a few report.
 */
export function judgeAgainstTrailing(input: {
  grid: SeriesGrid;
  /** The rule context's reported days and whether learning notes carry labels. */
  context: Pick<RuleContext, 'days' | 'learningLabels'>;
  settings: TrailingSettings & { severity: Severity };
  /** The measure on a slot of the grid, or null where it is undefined. */
  measure: (slot: number) => number | null;
  labelsOf: (key: string, day: string) => FindingLabels;
  /** What a finding says; its day, severity (the rule's) and labels come from the candidate. */
  judge: (candidate: TrailingDay) => Pick<FindingDraft, 'figures' | 'why' | 'contributors'> | null;
}): RuleResult {
  const { grid, settings } = input;
  const window = settings.window_days;
  const result: RuleResult = { findings: [], learning: [] };
  const size = grid.keys.length * grid.dayCount;
  const memo = { values: new Float64Array(size), states: new Uint8Array(size) };
  /** Whether the measure is defined on a slot, measuring it the first time. */
  const defined = (slot: number): boolean => {
    let state = memo.states[slot]!;
    if (state === UNMEASURED) {
      const value = grid.hasAt(slot) ? input.measure(slot) : null;
      state = value === null ? UNDEFINED : DEFINED;
      if (value !== null) memo.values[slot] = value;
      memo.states[slot] = state;
    }
    return state === DEFINED;
  };
  // One candidate object, refilled for each series-day: judging is synchronous and keeps nothing of it.
  const candidate = new Candidate(grid, memo, window, input.labelsOf);
  // Per series, the day its window's count was last taken and that count: consecutive days slide it by one day.
  const countedDay = new Int32Array(grid.keys.length).fill(-2);
  const counted = new Int32Array(grid.keys.length);
  for (const day of input.context.days) {
    const d = grid.dayIndex(day);
    if (d < 0) continue;
    const first = Math.max(0, d - window);
    for (let k = 0; k < grid.keys.length; k++) {
      const slot = grid.slotOf(k, d);
      const startSlot = grid.slotOf(k, first);
      // Days of [first, d) with the measure defined: from the day before's window when that was counted.
      let historyDays = 0;
      if (countedDay[k] === d - 1) {
        historyDays = counted[k]! + (defined(slot - 1) ? 1 : 0);
        if (d - 1 - window >= 0 && defined(slot - 1 - window)) historyDays--;
      } else {
        for (let past = startSlot; past < slot; past++) {
          if (defined(past)) historyDays++;
        }
      }
      countedDay[k] = d;
      counted[k] = historyDays;
      if (!defined(slot)) continue;
      const key = grid.keys[k]!;
      if (historyDays < settings.min_history_days) {
        const reason = learningReason(historyDays, settings);
        result.learning.push(learningNote(input.context, day, reason, () => input.labelsOf(key, day)));
        continue;
      }
      candidate.fill(day, key, slot, memo.values[slot]!, historyDays, startSlot, first);
      const judged = input.judge(candidate);
      if (judged)
        result.findings.push({ day, severity: settings.severity, labels: candidate.labels(), ...judged });
    }
  }
  return result;
}

class Candidate implements TrailingDay {
  day = '';
  key = '';
  slot = 0;
  value = 0;
  historyDays = 0;
  private startSlot = 0;
  private firstDay = 0;
  private readonly scratch: Float64Array;

  constructor(
    private readonly grid: SeriesGrid,
    private readonly memo: { values: Float64Array; states: Uint8Array },
    window: number,
    private readonly labelsOf: (key: string, day: string) => FindingLabels,
  ) {
    this.scratch = new Float64Array(Math.max(1, window));
  }

  fill(
    day: string,
    key: string,
    slot: number,
    value: number,
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

  readonly historyMedian = (of: (value: number, slot: number) => number): number => {
    const { values, states } = this.memo;
    let n = 0;
    for (let past = this.startSlot; past < this.slot; past++) {
      if (states[past] === DEFINED) this.scratch[n++] = of(values[past]!, past);
    }
    return medianInPlace(this.scratch, n);
  };

  readonly historyCountWithin = (low: number, high: number): number => {
    const { values, states } = this.memo;
    let n = 0;
    for (let past = this.startSlot; past < this.slot; past++) {
      if (states[past] === DEFINED) {
        const v = values[past]!;
        if (v >= low && v <= high) n++;
      }
    }
    return n;
  };

  get history(): HistoryDay[] {
    const { values, states } = this.memo;
    const out: HistoryDay[] = [];
    for (let past = this.startSlot; past < this.slot; past++) {
      if (states[past] === DEFINED) {
        out.push({
          day: this.grid.dayAt(this.firstDay + past - this.startSlot),
          slot: past,
          value: values[past]!,
        });
      }
    }
    return out;
  }
}

export function learningReason(historyDays: number, settings: TrailingSettings): string {
  return `learning: ${historyDays} of ${settings.min_history_days} days of history in the last ${settings.window_days}`;
}
