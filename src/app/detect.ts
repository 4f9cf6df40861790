import { newestUsageEndOf } from '../core/facts/newest-usage-hour.js';
import { type EvaluateRulesResult, evaluateRules, planEvaluation } from '../core/rules/evaluate-rules.js';
import { factDetail } from '../core/rules/fact-detail.js';
import type { ParsedRule } from '../core/rules/registry.js';
import type { UtilizationData } from '../core/rules/utilization.js';
import { addDays, daysBetween } from '../core/time/days.js';
import { withFactReader } from './fact-reader.js';
import type { FactStore } from './ports/ingest.js';

/** How far before the first evaluated day facts are read: the longest baseline window plus slack. */
const HISTORY_DAYS = 31;
/** Days evaluated when no range is given: the two weeks up to the newest usage day. */
const DEFAULT_DAYS = 14;

export interface DetectInput {
  from?: string | undefined;
  to?: string | undefined;
  now: Date;
  utilization?: UtilizationData | undefined;
  /**
   * Learning notes with the labels a finding would carry (default), or bare (day, rule, reason): labelling reads
   * the facts of every learning series-day, thousands on a store's first weeks, for callers that only count them.
   */
  learningLabels?: boolean;
}

/** What detection needs from the configuration (`rules:`, `completeness:`, `max_findings:`). */
export interface DetectOptions {
  rules: readonly ParsedRule[];
  completeness: { final_after_hours: number };
  max_findings: number;
}

export interface DetectResult extends EvaluateRulesResult {
  days: string[];
  /** Newest usage hour across stored snapshots: the completeness watermark. */
  newestUsageHour: Date | null;
  /** Facts in the evaluated window (days and their history), summarised by the rule series. */
  factsRead: number;
}

/**
 * Builds the rule series over the window (days + baseline history), runs the configured rules over them and reads
 * the facts behind what they report.
 */
export async function detectAnomalies(
  input: DetectInput,
  deps: { store: FactStore; config: DetectOptions },
): Promise<DetectResult> {
  const snapshots = await deps.store.snapshots();
  const newest = newestUsageEndOf(snapshots);
  // Findings never see the future: data newer than `now` (a replay with --now) does not exist for this run.
  const nowMs = input.now.getTime();
  const newestUsageHour = newest ? new Date(Math.min(newest.getTime(), nowMs)) : null;
  const nowDay = input.now.toISOString().slice(0, 10);
  // The newest usage hour ends the last day with data; its end instant belongs to the next day.
  const newestDay =
    input.to ??
    (newestUsageHour
      ? new Date(newestUsageHour.getTime() - 1).toISOString().slice(0, 10)
      : await newestFactDay(deps.store, input.now));
  const lastDay = newestDay !== undefined && newestDay > nowDay ? nowDay : newestDay;
  if (!lastDay) {
    return {
      findings: [],
      truncated: false,
      total: 0,
      learning: [],
      days: [],
      newestUsageHour,
      factsRead: 0,
    };
  }
  const firstDay = input.from ?? addDays(lastDay, -(DEFAULT_DAYS - 1));
  if (firstDay > lastDay) {
    throw new RangeError(
      lastDay === nowDay && newestDay !== nowDay
        ? `--from ${firstDay} is after --now (${input.now.toISOString()}): findings never see the future`
        : input.to === undefined
          ? `--from ${firstDay} is after the last day with data (${lastDay}); nothing to evaluate`
          : `--from ${firstDay} is after --to ${lastDay}`,
    );
  }
  const days = daysBetween(firstDay, lastDay);
  const window = { from: addDays(firstDay, -HISTORY_DAYS), to: lastDay };
  return withFactReader(deps.store, async (reader) => {
    // Rules judge the series SQL builds; only the series-days they report on are read as facts.
    const series = await reader.ruleSeries(window, [...new Set(deps.config.rules.map((r) => r.cost_metric))]);
    const judged = {
      series,
      rules: deps.config.rules,
      days,
      now: input.now,
      completeness: { finalAfterHours: deps.config.completeness.final_after_hours },
      newestUsageHour,
      ...(input.utilization ? { utilization: input.utilization } : {}),
      maxFindings: deps.config.max_findings,
      learningLabels: input.learningLabels ?? true,
    };
    const plan = planEvaluation(judged);
    const detail = await reader.detail(plan.requests);
    const result = evaluateRules({
      ...judged,
      detail: factDetail(detail),
      focus: plan.focus,
      ...(judged.learningLabels ? {} : { plannedLearning: plan.learning }),
    });
    return { ...result, days, newestUsageHour, factsRead: series.factCount };
  });
}

async function newestFactDay(store: FactStore, now: Date): Promise<string | undefined> {
  const today = now.toISOString().slice(0, 10);
  const facts = await store.read({ from: addDays(today, -62), to: today });
  return facts
    .map((f) => f.usageDate)
    .sort()
    .at(-1);
}
