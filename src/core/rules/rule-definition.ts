import { z } from 'zod';
import { COST_METRICS, type CostMetric } from '../facts/fact-filters.js';
import type { FactDetail } from './fact-detail.js';
import {
  type Contributor,
  type FindingFigures,
  type FindingLabels,
  SEVERITIES,
  type Severity,
} from './finding.js';
import type { RuleSeries } from './rule-series.js';
import type { UtilizationData } from './utilization.js';

/** What every rule instance has, whatever its type. */
export interface BaseRuleSettings {
  type: string;
  name: string;
  severity: Severity;
  cost_metric: CostMetric;
  /** Final days without a finding after which the alert condition resolves; unset: core/alerting/conditions defaults. */
  resolve_after_days?: number | undefined;
}

/** A finding before the engine adds rule id, instance name, watermark and fingerprint. */
export interface FindingDraft {
  day: string;
  severity: Severity;
  labels: FindingLabels;
  figures: FindingFigures;
  why: string[];
  contributors: Contributor[];
}

/** A series the rule could not judge yet (too little history, unknown utilization). */
export interface LearningNote {
  day: string;
  /**
   * The series' labels, as a finding on it would have them; absent when the run did not ask for them
   * (`RuleContext.learningLabels` false), since they cost a read of every learning series-day's facts.
   */
  labels?: FindingLabels;
  reason: string;
}

/** A learning note, labelled (labels are read from facts) only when the run asks (`RuleContext.learningLabels`). */
export function learningNote(
  context: Pick<RuleContext, 'learningLabels'>,
  day: string,
  reason: string,
  labels: () => FindingLabels,
): LearningNote {
  return context.learningLabels ? { day, labels: labels(), reason } : { day, reason };
}

export interface RuleResult {
  findings: FindingDraft[];
  learning: LearningNote[];
}

/**
 * Everything a rule may read. Pure data; no clock (the watermark is applied by the engine). A rule judges the
 * series; it reads `detail` only for what it reports (labels, contributors), so the facts behind a series are
 * fetched for the few series-days that yield a finding or a learning note.
 */
export interface RuleContext {
  /** Daily series of every grain over the evaluated days and their history. */
  series: RuleSeries;
  /** The facts behind a series on a day (only for findings and learning notes). */
  detail: FactDetail;
  /** Days to report on, sorted. */
  days: readonly string[];
  /** Earliest usage day with any fact: days before it are "no data", not "no spend". */
  coverageStart: string | null;
  utilization: UtilizationData | undefined;
  /**
   * Whether learning notes carry labels. Those come from the facts of each learning series-day (thousands on a
   * store's first weeks), so a run that only counts learning series turns this off and reads no facts for them.
   */
  learningLabels: boolean;
}

/**
 * One rule type (Cloud Custodian style): its strict config schema, a YAML example, and a pure evaluate.
 * Method syntax on `evaluate` keeps definitions of different setting types storable in one registry.
 */
export interface RuleDefinition<S extends BaseRuleSettings = BaseRuleSettings> {
  readonly type: S['type'];
  /** One sentence for `config validate` and docs. */
  readonly summary: string;
  readonly schema: z.ZodType<S, unknown>;
  /** Allowed keys, for error messages (zod's strict error lists only the offending ones). */
  readonly keys: readonly string[];
  readonly example: string;
  evaluate(ctx: RuleContext, rule: S): RuleResult;
}

/** The keys every rule accepts; type-specific keys are added per rule. */
export function ruleSchema<T extends string, Shape extends z.ZodRawShape>(
  type: T,
  defaultSeverity: Severity,
  shape: Shape,
) {
  return z
    .object({
      type: z.literal(type),
      name: z
        .string()
        .regex(/^[a-z0-9][a-z0-9_.-]*$/i, 'letters, digits, ".", "_" or "-"')
        .default(type),
      severity: z.enum(SEVERITIES).default(defaultSeverity),
      cost_metric: z.enum(COST_METRICS).default('unblended'),
      /** Final days without this rule's finding after which its alert condition resolves (issue 12). */
      resolve_after_days: z.number().int().min(1).max(30).optional(),
      ...shape,
    })
    .strict();
}

/** Non-page severities stay as configured; page becomes warning. */
export function withoutPage(severity: Severity): Severity {
  return severity === 'page' ? 'warning' : severity;
}

/** A rule type's YAML `example`: its type, severity and settings, one `key: value` line each. */
export function ruleExample(
  type: string,
  severity: Severity,
  settings: Readonly<Record<string, number | string>>,
): string {
  const lines = Object.entries(settings).map(([key, value]) => `    ${key}: ${value}`);
  return ['rules:', `  - type: ${type}`, `    severity: ${severity}`, ...lines, ''].join('\n');
}
