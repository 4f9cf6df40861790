import type { DailyFact } from '../facts/daily-fact.js';
import { canonicalJson, findingFingerprint } from '../keys.js';
import { absMoney } from '../money.js';
import { isDayKey } from '../time/days.js';
import { dayFinalAt, isDayFinal } from '../watermark.js';
import { type DetailRequest, type FactDetail, factDetail, recordingDetail } from './fact-detail.js';
import type { Finding, FindingLabels, Severity } from './finding.js';
import type { ParsedRule } from './registry.js';
import { RULE_REGISTRY } from './registry.js';
import type { FindingDraft, LearningNote, RuleContext } from './rule-definition.js';
import { type RuleSeries, ruleSeriesFromFacts } from './rule-series.js';
import type { UtilizationData } from './utilization.js';

export interface EvaluateRulesInput {
  /** Series over the days to evaluate plus enough history for baselines (the longest window, 14 days by default). */
  series: RuleSeries;
  /** The facts behind the series for the series-days that yield findings or learning notes (see `planEvaluation`). */
  detail: FactDetail;
  rules: readonly ParsedRule[];
  /** Days to report findings for (`YYYY-MM-DD`, UTC). */
  days: readonly string[];
  now: Date;
  completeness: { finalAfterHours: number };
  /** Newest usage end in the snapshot(s) the facts come from; null = nothing is final. */
  newestUsageHour: Date | null;
  utilization?: UtilizationData;
  maxFindings: number;
  /**
   * Per rule (by position in `rules`), the only days that can yield output: what `planEvaluation` found. A rule
   * judges each day on the series alone, so judging fewer days changes nothing on the days judged.
   */
  focus?: readonly (readonly string[])[];
  /** Learning notes with labels (the default), or without: see `RuleContext.learningLabels`. */
  learningLabels?: boolean;
  /**
   * The learning notes `planEvaluation` already found, when they carry no labels: a focused pass does not judge
   * the days that only yield learning notes, so the plan's notes are the complete list.
   */
  plannedLearning?: readonly LearningEntry[];
}

/** A series a rule could not judge yet: too little history, or unknown utilization. */
export interface LearningEntry {
  rule: string;
  name: string;
  day: string;
  /** Absent when the evaluation did not ask for learning labels. */
  labels?: FindingLabels;
  reason: string;
}

export interface EvaluateRulesResult {
  /** Highest severity first, then largest |delta|; at most `maxFindings`. */
  findings: Finding[];
  /** True when the `max_findings` breaker dropped findings. */
  truncated: boolean;
  /** Findings before the breaker. */
  total: number;
  learning: LearningEntry[];
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, page: 2 };

/**
 * Runs every configured rule over the facts and returns explained findings. Pure and deterministic: the same
 * input gives the same findings in the same order. Findings on days the watermark does not call final are
 * provisional and never page.
 */
export function evaluateRules(input: EvaluateRulesInput): EvaluateRulesResult {
  const days = [...new Set(input.days)].sort();
  for (const day of days) if (!isDayKey(day)) throw new RangeError(`not a day key: "${day}"`);
  if (!Number.isInteger(input.maxFindings) || input.maxFindings < 1) {
    throw new RangeError(`maxFindings must be a positive integer, got ${input.maxFindings}`);
  }
  const ctx: RuleContext = {
    series: input.series,
    detail: input.detail,
    days,
    coverageStart: input.series.coverageStart,
    utilization: input.utilization,
    learningLabels: input.learningLabels ?? true,
  };
  // Usage hours later than the clock are a data error; they must not make a day final early.
  const newest =
    input.newestUsageHour === null
      ? null
      : new Date(Math.min(input.newestUsageHour.getTime(), input.now.getTime()));

  const byFingerprint = new Map<string, Finding>();
  const learning: LearningEntry[] = [];
  for (const [index, rule] of input.rules.entries()) {
    const definition = RULE_REGISTRY.get(rule.type);
    if (!definition)
      throw new Error(`rule "${rule.name}" has unknown type "${rule.type}"; parse rules with parseRules`);
    const focus = input.focus?.[index];
    if (focus?.length === 0) continue;
    const result = definition.evaluate(focus ? { ...ctx, days: [...focus].sort() } : ctx, rule);
    for (const draft of result.findings) {
      const finding = finalize(draft, rule, newest, input.completeness.finalAfterHours);
      const existing = byFingerprint.get(finding.fingerprint);
      // Two instances of one rule type agreeing on the same labels and day are one finding: keep the stronger.
      if (!existing || byPriority(finding, existing) < 0) byFingerprint.set(finding.fingerprint, finding);
    }
    if (!input.plannedLearning)
      for (const entry of learningEntries(rule, result.learning)) learning.push(entry);
  }
  for (const entry of input.plannedLearning ?? []) learning.push(entry);

  const all = [...byFingerprint.values()].sort(byPriority);
  const findings = all.slice(0, input.maxFindings);
  return {
    findings,
    truncated: all.length > findings.length,
    total: all.length,
    learning: sortLearning(learning),
  };
}

/**
 * The facts an evaluation will read, and the days it must judge again: rules judge series and read facts only for
 * what they report, so a first pass with a detail source that answers nothing finds the series-days whose facts
 * the real pass needs (a few hundred, where the window holds millions of facts) and, per rule, the days with any
 * output. The rules' verdicts never depend on detail, so the second pass, over those days only and with the
 * facts, judges alike and adds the labels and contributors.
 */
export function planEvaluation(input: Omit<EvaluateRulesInput, 'detail' | 'focus' | 'plannedLearning'>): {
  requests: DetailRequest[];
  focus: string[][];
  /** The learning notes, complete, when they carry no labels (`learningLabels` false); else empty. */
  learning: LearningEntry[];
} {
  const recorder = recordingDetail();
  const learningLabels = input.learningLabels ?? true;
  const ctx: RuleContext = {
    series: input.series,
    detail: recorder,
    days: [...new Set(input.days)].sort(),
    coverageStart: input.series.coverageStart,
    utilization: input.utilization,
    learningLabels,
  };
  const learning: LearningEntry[] = [];
  const focus = input.rules.map((rule) => {
    const result = RULE_REGISTRY.get(rule.type)?.evaluate(ctx, rule) ?? { findings: [], learning: [] };
    if (!learningLabels) {
      for (const entry of learningEntries(rule, result.learning)) learning.push(entry);
      return [...new Set(result.findings.map((o) => o.day))];
    }
    return [...new Set([...result.findings, ...result.learning].map((o) => o.day))];
  });
  return { requests: recorder.requests(), focus, learning };
}

function learningEntries(rule: ParsedRule, notes: readonly LearningNote[]): LearningEntry[] {
  return notes.map((note) => ({ rule: rule.type, name: rule.name, ...note }));
}

/** Evaluates over facts in memory: series built in TypeScript, detail from the same facts (tests, small data). */
export function evaluateRulesOnFacts(
  input: Omit<EvaluateRulesInput, 'series' | 'detail'> & { facts: readonly DailyFact[] },
): EvaluateRulesResult {
  const { facts, ...rest } = input;
  return evaluateRules({ ...rest, series: ruleSeriesFromFacts(facts), detail: factDetail(facts) });
}

function finalize(
  draft: FindingDraft,
  rule: ParsedRule,
  newest: Date | null,
  finalAfterHours: number,
): Finding {
  const final = isDayFinal(draft.day, newest, finalAfterHours);
  const why = [...draft.why];
  let severity = draft.severity;
  if (!final) {
    const finalAt = dayFinalAt(draft.day, finalAfterHours).toISOString().slice(0, 16).replace('T', ' ');
    if (severity === 'page') {
      severity = 'warning';
      why.push(
        `Provisional: CUR data for ${draft.day} is not final until ${finalAt} UTC (${finalAfterHours} h after the day ends), so this would-be page is a warning until then`,
      );
    } else {
      why.push(
        `Provisional: CUR data for ${draft.day} is not final until ${finalAt} UTC; tags and figures may still change`,
      );
    }
  }
  return {
    rule: rule.type,
    name: rule.name,
    day: draft.day,
    severity,
    provisional: !final,
    labels: draft.labels,
    figures: draft.figures,
    why,
    contributors: draft.contributors,
    fingerprint: findingFingerprint({ rule: rule.type, day: draft.day, labels: draft.labels }),
  };
}

/** Severity, then |delta|, then identity: the breaker keeps the head of this order. */
function byPriority(a: Finding, b: Finding): number {
  const severity = SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity];
  if (severity !== 0) return severity;
  const da = absMoney(a.figures.delta);
  const db = absMoney(b.figures.delta);
  if (da !== db) return da > db ? -1 : 1;
  return (
    compareStrings(a.day, b.day) ||
    compareStrings(a.name, b.name) ||
    compareStrings(a.fingerprint, b.fingerprint)
  );
}

/** Name, day, labels, reason: each entry's labels serialised once, not in every comparison (thousands of entries). */
function sortLearning(entries: LearningEntry[]): LearningEntry[] {
  const keyed = entries.map((entry) => ({ entry, labels: entry.labels ? canonicalJson(entry.labels) : '' }));
  keyed.sort(
    (a, b) =>
      compareStrings(a.entry.name, b.entry.name) ||
      compareStrings(a.entry.day, b.entry.day) ||
      compareStrings(a.labels, b.labels) ||
      compareStrings(a.entry.reason, b.entry.reason),
  );
  return keyed.map((k) => k.entry);
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
