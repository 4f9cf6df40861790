import { z } from 'zod';
import type { DailyFact } from '../facts/daily-fact.js';
import { isUsageFact } from '../facts/fact-filters.js';
import { splitTupleKey } from '../keys.js';
import { formatUsd, type Money, usd, ZERO } from '../money.js';
import { addDays } from '../time/days.js';
import { type ContributorDimension, topContributors } from './contributors.js';
import type { DetailScope } from './fact-detail.js';
import type { FindingFigures, FindingLabels, Severity } from './finding.js';
import { labelsFor } from './labels.js';
import {
  type FindingDraft,
  type LearningNote,
  learningNote,
  type RuleDefinition,
  ruleSchema,
  withoutPage,
} from './rule-definition.js';
import { metricName } from './rule-series.js';
import type { SeriesGrid } from './series-grid.js';
import { atLeastTimes, maxMoney, medianMoney, moneyRatio, surelyBelowTimes } from './stats.js';
import { formatTimes } from './wording.js';

export const SPIKE_LEVELS = ['workload', 'workload_model'] as const;

const schema = ruleSchema('spend-spike', 'page', {
  /** Day D must be at least this multiple of BOTH day D−1 and the trailing median. */
  ratio: z.number().gt(1).default(3),
  /** …and at least this many dollars above the larger of the two. */
  min_increase_usd: z.number().nonnegative().default(25),
  /** Spend on a series whose previous day and trailing median are both zero. */
  new_spend_min_usd: z.number().nonnegative().default(25),
  /** Length of the trailing window whose median guards against dip-then-recovery pages. */
  baseline_days: z.number().int().min(1).max(35).default(7),
  levels: z
    .array(z.enum(SPIKE_LEVELS))
    .min(1)
    .refine((v) => new Set(v).size === v.length, 'each level at most once')
    .default([...SPIKE_LEVELS]),
});

export type SpendSpikeRule = z.output<typeof schema>;

type Verdict =
  | { kind: 'spike' | 'new-spend'; today: Money; previous: Money; median: Money; windowHadSpend: boolean }
  | { kind: 'quiet' }
  | { kind: 'no-history' };

/**
 * Day-over-day cost jump of a workload, and of each workload × model, on usage lines only (commitment fees,
 * credits, refunds and tax are excluded, so buying Provisioned Throughput is not a spike).
 *
 * Baseline: D is compared with max(D−1, median of the `baseline_days` days before D), missing days counting as $0.
 * D−1 alone pages every Monday for a workload that idles at weekends ($40 weekdays, $12 weekend: Monday is 3.3×
 * and +$28); the trailing median ($40) recognises the recovery to the usual level. A real spike clears both.
 * Same-weekday-last-week was rejected: one holiday a week earlier would page the next week.
 *
 * New spend: D−1 and the trailing median are both $0 and D ≥ `new_spend_min_usd` (a workload that idles every
 * weekend is not "new" on Monday, because its median is not zero).
 *
 * De-duplication: when the workload-level finding fires, each workload × model finding for the same workload and
 * day is still reported (the owner wants the breakdown) but at most `warning`. A workload × model finding also stays
 * at `warning` when the workload's total rose by less than `min_increase_usd`: spend moved between models, no
 * money is burning. Only one page per workload and day.
 *
 * @example
 * rules:
 *   - type: spend-spike
 *     name: bedrock-spike
 *     ratio: 3
 *     min_increase_usd: 25
 *     new_spend_min_usd: 25
 *     baseline_days: 7
 *     levels: [workload, workload_model]
 */
export const spendSpikeRule: RuleDefinition<SpendSpikeRule> = {
  type: 'spend-spike',
  summary:
    "A workload's (or workload × model's) usage cost jumps ≥ 3× day over day and by ≥ $25, or appears from zero.",
  schema,
  keys: Object.keys(schema.shape),
  example: `rules:
  - type: spend-spike
    name: bedrock-spike
    severity: page
    ratio: 3
    min_increase_usd: 25
    new_spend_min_usd: 25
    baseline_days: 7
    levels: [workload, workload_model]
`,
  evaluate(ctx, rule) {
    const cost = metricName('usage_cost', rule.cost_metric);
    const byWorkload = ctx.series.workload;
    const byModel = ctx.series.workloadModel;
    const workloadCost = costReader(byWorkload, cost);
    const modelCost = costReader(byModel, cost);
    const usageOf = (scope: DetailScope, day: string) => ctx.detail.facts(scope, day).filter(isUsageFact);
    const findings: FindingDraft[] = [];
    const learning: LearningNote[] = [];
    const levels = new Set(rule.levels);
    // Both grids cover the same window; a day index means the same day in each.
    const coverage = ctx.coverageStart === null ? null : byWorkload.dayIndex(ctx.coverageStart);

    for (const day of ctx.days) {
      const d = byWorkload.dayIndex(day);
      const workloadVerdicts = new Map<string, Verdict>();
      byWorkload.keys.forEach((workload, k) => {
        workloadVerdicts.set(workload, assess(workloadCost, k, d, rule, coverage));
      });
      if (levels.has('workload')) {
        for (const [workload, verdict] of workloadVerdicts) {
          const facts = (at: string) => usageOf({ workload }, at);
          const labels = (today: readonly DailyFact[]) =>
            labelsFor(today, rule.cost_metric, { workload, model: '*' });
          if (verdict.kind === 'no-history') {
            learning.push(learningNote(ctx, day, NO_PREVIOUS_DAY, () => labels(facts(day))));
          } else if (verdict.kind !== 'quiet') {
            findings.push(
              draft({
                day,
                facts,
                verdict,
                rule,
                who: workload,
                severity: rule.severity,
                labels,
                level: 'workload',
              }),
            );
          }
        }
      }
      if (!levels.has('workload_model')) continue;
      byModel.keys.forEach((key, k) => {
        const verdict = assess(modelCost, k, d, rule, coverage);
        if (verdict.kind === 'quiet') return;
        const [workload = '', model = ''] = splitTupleKey(key);
        const facts = (at: string) => usageOf({ workload, model }, at);
        const labels = (today: readonly DailyFact[]) =>
          labelsFor(today, rule.cost_metric, { workload, model });
        if (verdict.kind === 'no-history') {
          learning.push(learningNote(ctx, day, NO_PREVIOUS_DAY, () => labels(facts(day))));
          return;
        }
        const w = byWorkload.indexOfKey(workload);
        const { severity, note } = modelLevelSeverity(rule, workload, day, workloadVerdicts, levels, {
          today: workloadCost.at(w, d),
          previous: workloadCost.at(w, d - 1),
        });
        const finding = draft({
          day,
          facts,
          verdict,
          rule,
          who: `${workload} on ${model}`,
          severity,
          labels,
          level: 'model',
        });
        if (note) finding.why.push(note);
        findings.push(finding);
      });
    }
    return { findings, learning };
  },
};

/** A series' usage cost by key and day position ($0 on a day without usage or outside the window). */
type CostAt = (keyIndex: number, dayIndex: number) => Money;

/** A series' usage cost, exact, and the cheap forms `assess` screens with first. */
interface CostReader {
  at: CostAt;
  /** Cost > 0, exactly. */
  positive: (keyIndex: number, dayIndex: number) => boolean;
  /** Lossy dollars, for `surelyBelowTimes` only. */
  approx: (keyIndex: number, dayIndex: number) => number;
}

const QUIET: Verdict = { kind: 'quiet' };

const NO_PREVIOUS_DAY = 'no data for the previous day';

function costReader(grid: SeriesGrid<string, string>, name: string): CostReader {
  const inside = (k: number, d: number) => k >= 0 && d >= 0 && d < grid.dayCount;
  return {
    at: (k, d) => (inside(k, d) ? grid.moneyAt(name, grid.slotOf(k, d)) : ZERO),
    positive: (k, d) => inside(k, d) && grid.positiveAt(name, grid.slotOf(k, d)),
    approx: (k, d) => (inside(k, d) ? grid.approxAt(name, grid.slotOf(k, d)) : 0),
  };
}

function assess(
  costs: CostReader,
  k: number,
  d: number,
  rule: SpendSpikeRule,
  coverage: number | null,
): Verdict {
  if (!costs.positive(k, d)) return QUIET;
  if (coverage === null || d - 1 < coverage) return { kind: 'no-history' };
  // Most series-days are far from a spike over the day before: the exact test below would call them quiet too.
  if (costs.positive(k, d - 1) && surelyBelowTimes(costs.approx(k, d), costs.approx(k, d - 1), rule.ratio)) {
    return QUIET;
  }
  const costAt = costs.at;
  const today = costAt(k, d);
  const previous = costAt(k, d - 1);
  // The baseline is at least the previous day: a day that is no spike over it is quiet whatever the median
  // (and new spend needs a day before without spend), so most days need no median.
  if (
    previous > 0n &&
    (!atLeastTimes(today, previous, rule.ratio) || today - previous < usd(rule.min_increase_usd))
  ) {
    return { kind: 'quiet' };
  }
  const windowCosts: Money[] = [];
  for (let back = rule.baseline_days; back >= 1; back -= 1) {
    if (d - back >= coverage) windowCosts.push(costAt(k, d - back));
  }
  const median = medianMoney(windowCosts);
  const windowHadSpend = windowCosts.some((c) => c > 0n);
  if (previous <= 0n && median <= 0n) {
    return today >= usd(rule.new_spend_min_usd)
      ? { kind: 'new-spend', today, previous: ZERO, median, windowHadSpend }
      : { kind: 'quiet' };
  }
  const baseline = maxMoney(previous, median);
  const fires = atLeastTimes(today, baseline, rule.ratio) && today - baseline >= usd(rule.min_increase_usd);
  return fires ? { kind: 'spike', today, previous, median, windowHadSpend } : { kind: 'quiet' };
}

function modelLevelSeverity(
  rule: SpendSpikeRule,
  workload: string,
  day: string,
  workloadVerdicts: ReadonlyMap<string, Verdict>,
  levels: ReadonlySet<string>,
  total: { today: Money; previous: Money },
): { severity: Severity; note: string | null } {
  const workloadVerdict = workloadVerdicts.get(workload);
  const workloadFired = workloadVerdict?.kind === 'spike' || workloadVerdict?.kind === 'new-spend';
  if (workloadFired && levels.has('workload')) {
    return {
      severity: withoutPage(rule.severity),
      note: `The workload-level finding for ${workload} on ${day} carries the page; this per-model finding is at most a warning`,
    };
  }
  {
    const { today, previous } = total;
    const rise = (today - previous) as Money;
    if (rise < usd(rule.min_increase_usd) && rule.severity === 'page') {
      return {
        severity: 'warning',
        note: `${workload}'s total moved by only ${signedUsd(rise)} (${formatUsd(previous)} → ${formatUsd(today)}): spend shifted between models rather than grew, so this does not page`,
      };
    }
  }
  return { severity: rule.severity, note: null };
}

function signedUsd(value: Money): string {
  return value >= 0n ? `+${formatUsd(value)}` : formatUsd(value);
}

function draft(input: {
  day: string;
  /** Usage facts of the series on a day. */
  facts: (day: string) => readonly DailyFact[];
  verdict: Extract<Verdict, { kind: 'spike' | 'new-spend' }>;
  rule: SpendSpikeRule;
  who: string;
  severity: Severity;
  labels: (facts: readonly DailyFact[]) => FindingLabels;
  level: 'workload' | 'model';
}): FindingDraft {
  const { day, verdict, rule, who } = input;
  const previousDay = addDays(day, -1);
  const todayFacts = input.facts(day);
  const delta = (verdict.today - verdict.previous) as Money;
  const ratio = moneyRatio(verdict.today, verdict.previous);
  const trailingRatio = moneyRatio(verdict.today, verdict.median);
  const figures: FindingFigures = {
    today: verdict.today,
    baseline: verdict.previous,
    ratio,
    delta,
    kind: verdict.kind,
    trailing_median: verdict.median,
    trailing_ratio: trailingRatio,
    baseline_days: rule.baseline_days,
  };
  const why: string[] = [];
  if (verdict.kind === 'new-spend') {
    why.push(`${who} spent ${formatUsd(verdict.today)} on ${day} after no spend on ${previousDay}`);
    why.push(
      verdict.windowHadSpend
        ? `Spend resumed: its ${rule.baseline_days}-day median was $0.00/day`
        : `No spend in the ${rule.baseline_days} days before either: this is new spend (reported from ${formatUsd(usd(rule.new_spend_min_usd))})`,
    );
  } else {
    why.push(
      verdict.previous > 0n
        ? `${who} spent ${formatUsd(verdict.today)} on ${day}, ${formatTimes(ratio ?? 0)} the ${formatUsd(verdict.previous)} of ${previousDay} (+${formatUsd(delta)})`
        : `${who} spent ${formatUsd(verdict.today)} on ${day} after no spend on ${previousDay}`,
    );
    why.push(
      `Its trailing ${rule.baseline_days}-day median was ${formatUsd(verdict.median)}/day` +
        (trailingRatio === null
          ? ''
          : `, so this is ${formatTimes(trailingRatio)} its usual level, not a return to it`),
    );
    why.push(
      `Fires at ≥ ${rule.ratio}× both the previous day and the ${rule.baseline_days}-day median, and ≥ ${formatUsd(usd(rule.min_increase_usd))} above them; commitment fees, credits and tax are not counted`,
    );
  }
  const dimensions: ContributorDimension[] =
    input.level === 'workload' ? ['model', 'usage_kind', 'iam_principal'] : ['usage_kind', 'iam_principal'];
  return {
    day,
    severity: input.severity,
    labels: input.labels(todayFacts),
    figures,
    why,
    contributors: topContributors({
      today: todayFacts,
      baseline: { kind: 'day', facts: input.facts(previousDay) },
      dimensions,
      metric: rule.cost_metric,
    }),
  };
}
