import type { Config } from '../config/schema.js';
import { addDays, daysBetween } from '../core/rules/day-math.js';
import { type EvaluateRulesResult, evaluateRules } from '../core/rules/evaluate-rules.js';
import type { UtilizationData } from '../core/rules/utilization.js';
import type { FactStore } from './ingest-ports.js';

/** How far before the first evaluated day facts are read: the longest baseline window plus slack. */
const HISTORY_DAYS = 31;
/** Days evaluated when no range is given: the two weeks up to the newest usage day. */
const DEFAULT_DAYS = 14;

export interface DetectInput {
  from?: string | undefined;
  to?: string | undefined;
  now: Date;
  utilization?: UtilizationData | undefined;
}

export interface DetectResult extends EvaluateRulesResult {
  days: string[];
  /** Newest usage hour across stored snapshots: the completeness watermark. */
  newestUsageHour: Date | null;
  factsRead: number;
}

/** Reads the facts window (days + baseline history) and runs the configured rules over it. */
export async function detectAnomalies(
  input: DetectInput,
  deps: { store: FactStore; config: Config },
): Promise<DetectResult> {
  const snapshots = await deps.store.snapshots();
  const newest = snapshots
    .map((s) => s.newestUsageEnd)
    .filter((t): t is string => Boolean(t))
    .sort()
    .at(-1);
  // Findings never see the future: data newer than `now` (a replay with --now) does not exist for this run.
  const nowMs = input.now.getTime();
  const newestUsageHour = newest ? new Date(Math.min(Date.parse(newest), nowMs)) : null;
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
  const facts = await deps.store.read({ from: addDays(firstDay, -HISTORY_DAYS), to: lastDay });
  const days = daysBetween(firstDay, lastDay);
  const result = evaluateRules({
    facts,
    rules: deps.config.rules,
    days,
    now: input.now,
    completeness: { finalAfterHours: deps.config.completeness.final_after_hours },
    newestUsageHour,
    ...(input.utilization ? { utilization: input.utilization } : {}),
    maxFindings: deps.config.max_findings,
  });
  return { ...result, days, newestUsageHour, factsRead: facts.length };
}

async function newestFactDay(store: FactStore, now: Date): Promise<string | undefined> {
  const today = now.toISOString().slice(0, 10);
  const facts = await store.read({ from: addDays(today, -62), to: today });
  return facts
    .map((f) => f.usageDate)
    .sort()
    .at(-1);
}
