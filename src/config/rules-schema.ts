import { z } from 'zod';
import { checkRules, DEFAULT_RULES } from '../core/rules/parse-rules.js';
import type { ParsedRule } from '../core/rules/registry.js';
import { DEFAULT_FINAL_AFTER_HOURS } from '../core/watermark.js';

export type { ParseRulesResult, RuleConfigError } from '../core/rules/parse-rules.js';
export { DEFAULT_RULES, formatRuleErrors, parseRules } from '../core/rules/parse-rules.js';
export type { ParsedRule } from '../core/rules/registry.js';

/**
 * The `rules:` list. Validation is delegated to the rule registry (each type owns its strict schema), so an unknown
 * type lists the known types and a misspelt key lists the allowed keys; issues keep their path
 * (`rules[2].min_increase_usd`). Omitted → every rule type with DESIGN §6 defaults.
 *
 * @example
 * rules:
 *   - type: spend-spike
 *     name: bedrock-spike
 *     severity: page
 *     ratio: 3
 *     min_increase_usd: 25
 *     levels: [workload, workload_model]
 */
export const RulesSchema = z.unknown().transform((raw, ctx): ParsedRule[] => {
  const result = checkRules(raw);
  if (result.ok) return result.rules;
  for (const issue of result.issues) {
    ctx.issues.push({ code: 'custom', message: issue.message, path: issue.path, input: raw });
  }
  return z.NEVER;
});

/** When a day's CUR data is complete enough to page on (DESIGN §3.5). */
export const CompletenessSchema = z
  .object({
    /** Hours after a day ends (D+1 00:00 UTC) that the newest usage hour must reach before the day is final. */
    final_after_hours: z
      .number()
      .min(0)
      .max(24 * 31)
      .default(DEFAULT_FINAL_AFTER_HOURS),
  })
  .strict();

/** Circuit breaker: at most this many findings per evaluation, highest severity and largest delta first. */
export const MaxFindingsSchema = z.number().int().min(1).max(100_000).default(200);

export type CompletenessConfig = z.infer<typeof CompletenessSchema>;

export const DEFAULT_COMPLETENESS: CompletenessConfig = CompletenessSchema.parse({});
export const DEFAULT_MAX_FINDINGS = 200;

/** Defaults for the three sections, in the shape ConfigSchema fields use. */
export const DEFAULT_RULES_SECTION: {
  rules: ParsedRule[];
  completeness: CompletenessConfig;
  max_findings: number;
} = {
  rules: DEFAULT_RULES.map((r) => structuredClone(r)),
  completeness: DEFAULT_COMPLETENESS,
  max_findings: DEFAULT_MAX_FINDINGS,
};
