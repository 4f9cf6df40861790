import type { DailyFact } from '../facts/daily-fact.js';
import { TOKEN_USAGE_KINDS } from '../facts/daily-fact.js';
import { findingFingerprint } from '../keys.js';
import { formatUsd, type Money, ZERO } from '../money.js';
import type { Finding, FindingLabels, Severity } from '../rules/finding.js';
import { ANY } from '../rules/labels.js';
import { atLeastTimes, median, medianMoney, moneyRatio } from '../rules/stats.js';
import { addDays } from '../time/days.js';
import type { AttributeModelId, ModelIdAttribution } from './attribution.js';
import { type ModelIdHour, type WorkloadHour, workloadHours } from './estimate.js';
import { addHours, type HourlyUsage, tokensOf } from './metrics.js';
import { describeRate, type EffectiveRate } from './rates.js';

/** Rule ids of the early warning; findings carry `estimated: true`. */
export const EARLY_RULES = {
  spendRate: 'early-spend-rate',
  tokensPerInvocation: 'early-tokens-per-invocation',
  newModel: 'early-new-model',
} as const;

/** Thresholds (config `early_warning:` maps onto these). */
export interface EarlyWarningOptions {
  /** Page when an hour's estimated spend ≥ this × the same-hour-of-week baseline … */
  spendRatio: number;
  /** … and ≥ this floor (per hour). */
  minHourlySpend: Money;
  /** Warn when tokens per invocation ≥ this × its baseline. */
  tokensPerInvocationRatio: number;
  /** Hours with fewer invocations say nothing about tokens per invocation. */
  minInvocations: number;
  /** Same-hour-of-week baseline: the median of this many previous weeks (weeks without metrics are skipped). */
  baselineWeeks: number;
}

export const DEFAULT_EARLY_WARNING_OPTIONS: EarlyWarningOptions = {
  spendRatio: 3,
  minHourlySpend: 10_000_000_000_000_000n as Money, // $10
  tokensPerInvocationRatio: 3,
  minInvocations: 10,
  baselineWeeks: 4,
};

/** A finding estimated from CloudWatch metrics (not billed yet): `hour` is the UTC hour it judged. */
export interface EarlyFinding extends Finding {
  estimated: true;
  hour: string;
}

export interface EarlyWarningInput {
  /** Hourly usage of the evaluated hours and their history (up to `baselineWeeks` weeks before). */
  usage: readonly HourlyUsage[];
  /** UTC hours to judge (ISO instants of their start), each complete. */
  hours: readonly string[];
  attribute: AttributeModelId;
  rates: ReadonlyMap<string, EffectiveRate>;
  /** Stored facts: the CUR baseline where metrics have no history yet. */
  facts: readonly DailyFact[];
  options: EarlyWarningOptions;
}

export interface EarlyWarningResult {
  findings: EarlyFinding[];
  /** Estimated spend per workload and evaluated hour (what the store records for reconciliation). */
  estimates: WorkloadHour[];
  /** Workload hours whose baseline could not be judged (no metric history, no CUR history). */
  learning: number;
}

const WEEK_HOURS = 24 * 7;

/**
 * The hourly rules: runaway spend (estimated spend rate ≥ ratio × same-hour-of-week baseline and ≥ floor →
 * page), runaway tokens per invocation (≥ k × baseline → warning), and a model or profile with no history
 * (info, or warning when its estimated spend reaches the floor). One finding per rule, labels and day: the
 * hour that moved most, so a runaway lasting several hours is one condition.
 */
export function evaluateEarlyWarning(input: EarlyWarningInput): EarlyWarningResult {
  const { options } = input;
  const all = workloadHours(input.usage, input.attribute, input.rates);
  const byWorkloadHour = new Map(all.map((w) => [`${w.workload}\u0000${w.hour}`, w]));
  const firstHour = input.usage.reduce((first, u) => (first === '' || u.hour < first ? u.hour : first), '');
  const evaluated = new Set(input.hours);
  const estimates = all.filter((w) => evaluated.has(w.hour));
  const found = new Map<string, { finding: EarlyFinding; score: number }>();
  const keep = (finding: EarlyFinding, score: number) => {
    const current = found.get(finding.fingerprint);
    if (!current || score > current.score) found.set(finding.fingerprint, { finding, score });
  };
  let learning = 0;

  for (const current of estimates) {
    const spend = spendFinding(current, byWorkloadHour, firstHour, input.facts, options);
    if (spend === 'learning') learning += 1;
    else if (spend) keep(spend.finding, spend.score);
    for (const priced of current.modelIds) {
      const tpi = tokensPerInvocationFinding(current, priced, input.usage, options);
      if (tpi) keep(tpi.finding, tpi.score);
      const fresh = newModelFinding(current, priced, input.usage, options);
      if (fresh) keep(fresh, Number(fresh.figures.today));
    }
  }
  const findings = [...found.values()]
    .map((f) => f.finding)
    .sort((a, b) =>
      a.day !== b.day
        ? a.day < b.day
          ? -1
          : 1
        : a.severity !== b.severity
          ? rank(b.severity) - rank(a.severity)
          : a.fingerprint < b.fingerprint
            ? -1
            : 1,
    );
  return { findings, estimates, learning };
}

function rank(severity: Severity): number {
  return severity === 'page' ? 2 : severity === 'warning' ? 1 : 0;
}

function labelsOf(current: WorkloadHour, model: string, attribution?: ModelIdAttribution): FindingLabels {
  const accounts = new Set(current.modelIds.map((m) => m.usage.accountId));
  const first = attribution ?? heaviest(current.modelIds).attribution;
  return {
    workload: current.workload,
    model,
    team: first.team,
    cost_center: first.costCenter,
    account: accounts.size === 1 ? [...accounts][0]! : ANY,
    environment: first.environment,
  };
}

function heaviest(modelIds: readonly ModelIdHour[]): ModelIdHour {
  return modelIds.reduce((best, m) => (m.estimate > best.estimate ? m : best));
}

function rateNote(modelIds: readonly ModelIdHour[]): string {
  const rates = new Map<string, EffectiveRate>();
  for (const m of modelIds) for (const r of m.rates) rates.set(`${r.model}|${r.usageKind}|${r.routing}`, r);
  return [...rates.values()].map(describeRate).join('; ') || 'no CUR rate observed';
}

function make(
  base: Omit<EarlyFinding, 'fingerprint' | 'name' | 'provisional' | 'contributors' | 'estimated'>,
): EarlyFinding {
  return {
    ...base,
    name: base.rule,
    provisional: false,
    contributors: [],
    estimated: true,
    fingerprint: findingFingerprint(base),
  };
}

const hourLabel = (hour: string) => `${hour.slice(0, 10)} ${hour.slice(11, 16)} UTC`;

function spendFinding(
  current: WorkloadHour,
  byWorkloadHour: ReadonlyMap<string, WorkloadHour>,
  firstHour: string,
  facts: readonly DailyFact[],
  options: EarlyWarningOptions,
): { finding: EarlyFinding; score: number } | 'learning' | null {
  // Weeks the metrics cover (the hour a week earlier is not before the first datapoint) count, zero or not.
  const weekly: Money[] = [];
  for (let week = 1; week <= options.baselineWeeks; week++) {
    const then = addHours(current.hour, -WEEK_HOURS * week);
    if (firstHour === '' || then < firstHour) break;
    weekly.push(byWorkloadHour.get(`${current.workload}\u0000${then}`)?.estimate ?? ZERO);
  }
  let baseline: Money;
  let baselineSource: string;
  if (weekly.length > 0) {
    baseline = medianMoney(weekly);
    baselineSource = `median of the same hour on ${weekly.length} previous week(s) of CloudWatch metrics`;
  } else {
    const cur = curHourlyBaseline(facts, current.workload, current.day);
    if (cur === null) return 'learning';
    baseline = cur.mean;
    baselineSource = `mean hour of ${cur.days} CUR day(s) before ${current.day}`;
  }
  if (current.estimate < options.minHourlySpend) return null;
  if (!atLeastTimes(current.estimate, baseline, options.spendRatio)) return null;
  const ratio = moneyRatio(current.estimate, baseline);
  const why = [
    `Estimated spend ${formatUsd(current.estimate)} in the hour ${hourLabel(current.hour)}${ratio === null ? ' with no spend in the baseline' : ` is ${ratio.toFixed(1)}× the baseline ${formatUsd(baseline)}`} (${baselineSource}).`,
    `Estimate from CloudWatch token counts (${current.tokens.toLocaleString('en-US')} tokens, ${current.invocations.toLocaleString('en-US')} invocations) priced at ${rateNote(current.modelIds)}; CUR confirms it in 24–48 h.`,
  ];
  if (current.unpricedTokens > 0)
    why.push(
      `${current.unpricedTokens.toLocaleString('en-US')} tokens had no CUR rate and are not in the estimate.`,
    );
  const finding = make({
    rule: 'early-spend-rate',
    day: current.day,
    hour: current.hour,
    severity: 'page',
    labels: labelsOf(current, ANY),
    figures: {
      today: current.estimate,
      baseline,
      ratio,
      delta: (current.estimate - baseline) as Money,
      hour: current.hour,
      tokens: current.tokens,
      invocations: current.invocations,
      baseline_source: baselineSource,
      rate: rateNote(current.modelIds),
      estimate: 'CloudWatch metrics × CUR effective rate',
    },
    why,
  });
  return { finding, score: ratio ?? Number.MAX_SAFE_INTEGER };
}

/** A workload's mean hourly usage cost over the (up to) 7 CUR days before `day`, or null without any. */
function curHourlyBaseline(
  facts: readonly DailyFact[],
  workload: string,
  day: string,
): { mean: Money; days: number } | null {
  const from = addDays(day, -7);
  const days = new Set<string>();
  let total = 0n;
  for (const f of facts) {
    if (f.workload !== workload || f.usageDate < from || f.usageDate >= day) continue;
    if (!TOKEN_USAGE_KINDS.has(f.usageKind)) continue;
    days.add(f.usageDate);
    total += f.costUnblended;
  }
  if (days.size === 0) return null;
  return { mean: (total / BigInt(days.size * 24)) as Money, days: days.size };
}

function tokensPerInvocationFinding(
  current: WorkloadHour,
  priced: ModelIdHour,
  usage: readonly HourlyUsage[],
  options: EarlyWarningOptions,
): { finding: EarlyFinding; score: number } | null {
  const u = priced.usage;
  if (u.invocations < options.minInvocations) return null;
  const now = tokensOf(u) / u.invocations;
  const from = addHours(u.hour, -WEEK_HOURS);
  const history = usage
    .filter(
      (h) =>
        h.modelId === u.modelId &&
        h.accountId === u.accountId &&
        h.region === u.region &&
        h.hour >= from &&
        h.hour < u.hour &&
        h.invocations >= options.minInvocations,
    )
    .map((h) => tokensOf(h) / h.invocations);
  if (history.length < 6) return null;
  const baseline = median(history);
  if (baseline <= 0 || now < baseline * options.tokensPerInvocationRatio) return null;
  const ratio = now / baseline;
  const finding = make({
    rule: 'early-tokens-per-invocation',
    day: current.day,
    hour: current.hour,
    severity: 'warning',
    labels: { ...labelsOf(current, priced.attribution.model, priced.attribution), model_id: u.modelId },
    figures: {
      today: priced.estimate,
      baseline: ZERO,
      ratio,
      delta: priced.estimate,
      hour: u.hour,
      tokens_per_invocation: Math.round(now),
      baseline_tokens_per_invocation: Math.round(baseline),
      invocations: u.invocations,
      rate: rateNote([priced]),
      estimate: 'CloudWatch metrics × CUR effective rate',
    },
    why: [
      `${Math.round(now).toLocaleString('en-US')} tokens per invocation in the hour ${hourLabel(u.hour)} is ${ratio.toFixed(1)}× the median ${Math.round(baseline).toLocaleString('en-US')} of the previous 7 days (${history.length} hours): a runaway agent loop or an unbounded context window?`,
      `${u.invocations.toLocaleString('en-US')} invocations of ${u.modelId}; estimated spend ${formatUsd(priced.estimate)} at ${rateNote([priced])}.`,
    ],
  });
  return { finding, score: ratio };
}

function newModelFinding(
  current: WorkloadHour,
  priced: ModelIdHour,
  usage: readonly HourlyUsage[],
  options: EarlyWarningOptions,
): EarlyFinding | null {
  if (priced.attribution.known) return null;
  const u = priced.usage;
  const seenBefore = usage.some(
    (h) => h.modelId === u.modelId && h.accountId === u.accountId && h.hour < addHours(u.hour, -24),
  );
  if (seenBefore) return null;
  const severity: Severity = priced.estimate >= options.minHourlySpend ? 'warning' : 'info';
  return make({
    rule: 'early-new-model',
    day: current.day,
    hour: current.hour,
    severity,
    labels: { ...labelsOf(current, priced.attribution.model, priced.attribution), model_id: u.modelId },
    figures: {
      today: priced.estimate,
      baseline: ZERO,
      ratio: null,
      delta: priced.estimate,
      hour: u.hour,
      tokens: tokensOf(u),
      invocations: u.invocations,
      unpriced_tokens: priced.unpricedTokens,
      attribution: priced.attribution.source,
      rate: rateNote([priced]),
      estimate: 'CloudWatch metrics × CUR effective rate',
    },
    why: [
      `${u.modelId} has no history: the stored CUR facts do not know it and CloudWatch shows no traffic before the last 24 h.`,
      priced.rates.length > 0
        ? `Estimated ${formatUsd(priced.estimate)} in the hour ${hourLabel(u.hour)} at ${rateNote([priced])}.`
        : `${tokensOf(u).toLocaleString('en-US')} tokens in the hour ${hourLabel(u.hour)} with no CUR rate to price them yet.`,
      `Attributed to ${current.workload} (${priced.attribution.source === 'none' ? 'no tag or account default: unallocated' : `from ${priced.attribution.source}`}).`,
    ],
  });
}
