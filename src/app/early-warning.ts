import { createModelIdAttributor, isBedrockArn } from '../core/early-warning/attribution.js';
import { addHours, hourlyUsage } from '../core/early-warning/metrics.js';
import { effectiveRates } from '../core/early-warning/rates.js';
import {
  type Confirmation,
  type LinkResult,
  linkCurFindings,
  recordConfirmations,
  recordEarlyWarning,
} from '../core/early-warning/reconcile.js';
import {
  type EarlyFinding,
  type EarlyWarningOptions,
  type EarlyWarningResult,
  evaluateEarlyWarning,
} from '../core/early-warning/rules.js';
import type { DailyFact } from '../core/facts/daily-fact.js';
import { usd } from '../core/money.js';
import type { AttributionOptions } from '../core/normalize/attribution.js';
import type { Finding } from '../core/rules/finding.js';
import { addDays } from '../core/time/days.js';
import type { EarlyWarningStore, MetricsSource, ResourceTagSource } from './ports/early-warning.js';
import type { FactStore } from './ports/ingest.js';

const HOUR_MS = 3_600_000;
/** Facts read for attribution, effective rates and the CUR baseline. */
const FACT_DAYS = 35;

/** The `early_warning:` settings as the config file spells them (config/schema.ts validates them). */
export interface EarlyWarningSettings {
  spend_ratio: number;
  min_hourly_spend_usd: number;
  tokens_per_invocation_ratio: number;
  min_invocations: number;
  baseline_weeks: number;
  settle_minutes: number;
}

/** What the early warning needs of the configuration: attribution (workload tags, account defaults) and its settings. */
export type EarlyWarningConfig = AttributionOptions & { early_warning: EarlyWarningSettings };

/** `early_warning:` settings → core options. */
export function earlyWarningOptionsOf(
  config: Pick<EarlyWarningConfig, 'early_warning'>,
): EarlyWarningOptions {
  const ew = config.early_warning;
  return {
    spendRatio: ew.spend_ratio,
    minHourlySpend: usd(ew.min_hourly_spend_usd),
    tokensPerInvocationRatio: ew.tokens_per_invocation_ratio,
    minInvocations: ew.min_invocations,
    baselineWeeks: ew.baseline_weeks,
  };
}

/** The complete hours to judge at `now`: the `hours` hours ending `settle_minutes` before now. */
export function judgedHours(now: Date, hours: number, settleMinutes: number): string[] {
  const lastEnd = Math.floor((now.getTime() - settleMinutes * 60_000) / HOUR_MS) * HOUR_MS;
  const out: string[] = [];
  for (let i = hours; i >= 1; i--) out.push(new Date(lastEnd - i * HOUR_MS).toISOString());
  return out;
}

export interface EarlyWarningRun extends EarlyWarningResult {
  hours: string[];
  datapoints: number;
  factsRead: number;
  /** Newest CUR usage day in the facts read (prices and attribution come from there). */
  newestFactDay: string | null;
  source: string;
}

/**
 * Reads the metrics of the judged hours and their baseline weeks, prices and attributes them from the stored
 * facts, and runs the hourly rules. Pure decisions in core; this only gathers the inputs.
 */
export async function runEarlyWarning(
  input: { now: Date; hours: number },
  deps: {
    store: FactStore;
    config: EarlyWarningConfig;
    metrics: MetricsSource;
    tags?: ResourceTagSource | undefined;
  },
): Promise<EarlyWarningRun> {
  const options = earlyWarningOptionsOf(deps.config);
  const hours = judgedHours(input.now, input.hours, deps.config.early_warning.settle_minutes);
  const first = hours[0]!;
  const end = addHours(hours.at(-1)!, 1);
  const from = addHours(first, -24 * 7 * options.baselineWeeks);
  const points = await deps.metrics.read({ from, to: end });
  const usage = hourlyUsage(points).filter((u) => u.hour >= from && u.hour < end);
  const today = first.slice(0, 10);
  const facts: DailyFact[] = await deps.store.read({
    from: addDays(today, -FACT_DAYS),
    to: end.slice(0, 10),
  });
  const known = new Set(facts.map((f) => f.resourceId));
  const unknownArns = [...new Set(usage.map((u) => u.modelId))].filter(
    (id) => isBedrockArn(id) && !known.has(id),
  );
  const tagsByArn = deps.tags && unknownArns.length > 0 ? await deps.tags.tagsOf(unknownArns) : undefined;
  const attribute = createModelIdAttributor({ facts, config: deps.config, tagsByArn });
  const result = evaluateEarlyWarning({
    usage,
    hours,
    attribute,
    rates: effectiveRates(facts),
    facts,
    options,
  });
  return {
    ...result,
    hours,
    datapoints: points.length,
    factsRead: facts.length,
    newestFactDay: facts.reduce<string | null>(
      (d, f) => (d === null || f.usageDate > d ? f.usageDate : d),
      null,
    ),
    source: deps.metrics.name,
  };
}

/** Records a run's hourly estimates and its pages, so CUR can confirm them later. */
export async function recordEarlyWarningRun(
  store: EarlyWarningStore,
  run: { estimates: EarlyWarningRun['estimates']; findings: readonly EarlyFinding[]; now: Date },
): Promise<void> {
  await store.update((state) =>
    recordEarlyWarning(state, {
      estimates: run.estimates,
      findings: run.findings,
      today: run.now.toISOString().slice(0, 10),
    }),
  );
}

/**
 * The hook in the CUR detect → notify flow: CUR findings the early warning already paged about (same workload
 * and day) are linked to it and left out of routing, and the estimate's error is recorded. Without a store, or
 * with nothing to link, findings pass through unchanged.
 */
export async function linkEarlyWarnings(
  findings: readonly Finding[],
  deps: { earlyWarnings?: EarlyWarningStore | undefined; facts: FactStore; record?: boolean },
): Promise<LinkResult> {
  const passThrough: LinkResult = { route: [...findings], linked: [], confirmations: [] };
  if (!deps.earlyWarnings || findings.length === 0) return passThrough;
  const state = await deps.earlyWarnings.read();
  if (state.pages.length === 0) return passThrough;
  const days = [...new Set(state.pages.map((p) => p.day))]
    .filter((d) => findings.some((f) => f.day === d))
    .sort();
  if (days.length === 0) return passThrough;
  const facts = await deps.facts.read({ from: days[0]!, to: days.at(-1)! });
  const result = linkCurFindings(findings, state, facts);
  if (deps.record !== false && result.confirmations.length > 0) {
    await deps.earlyWarnings.update((s) => recordConfirmations(s, result.confirmations));
  }
  return result;
}

/** Confirmations whose day falls in [from, to] (the digest's week). */
export async function confirmationsBetween(
  store: EarlyWarningStore | undefined,
  from: string,
  to: string,
): Promise<Confirmation[]> {
  if (!store) return [];
  return (await store.read()).confirmations.filter((c) => c.day >= from && c.day <= to);
}
