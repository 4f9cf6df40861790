import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { CompletenessSchema, MaxFindingsSchema, RulesSchema } from '../../../../src/config/rules-schema.js';
import { DEFAULT_RULES, formatRuleErrors, parseRules } from '../../../../src/core/rules/parse-rules.js';
import { RULE_DEFINITIONS, RULE_TYPES } from '../../../../src/core/rules/registry.js';

function errorsOf(raw: unknown): string {
  const result = parseRules(raw);
  if (result.ok) throw new Error('expected errors');
  return formatRuleErrors(result.errors);
}

describe('parseRules', () => {
  it('applies all seven rules with the DESIGN §6 defaults when rules: is omitted', () => {
    // Act
    const result = parseRules(undefined);
    // Assess
    expect(result.ok && result.rules.map((r) => r.type)).toEqual([
      'spend-spike',
      'verbose-output',
      'idle-provisioned',
      'dev-in-prod',
      'untagged-spend',
      'cache-regression',
      'model-mix-shift',
    ]);
    expect(DEFAULT_RULES).toMatchObject([
      { type: 'spend-spike', severity: 'page', ratio: 3, min_increase_usd: 25, new_spend_min_usd: 25 },
      {
        type: 'verbose-output',
        severity: 'warning',
        ratio: 2,
        window_days: 14,
        min_history_days: 7,
        min_output_cost_usd: 10,
      },
      { type: 'idle-provisioned', severity: 'warning', max_utilization: 0.1 },
      { type: 'dev-in-prod', severity: 'warning', min_cost_usd: 1 },
      { type: 'untagged-spend', severity: 'warning', min_share: 0.1, min_cost_usd: 10 },
      { type: 'cache-regression', severity: 'warning', min_drop: 0.5, volume_band: 0.3 },
      { type: 'model-mix-shift', severity: 'warning', min_points: 20 },
    ]);
  });

  it('disables every rule with an empty list', () => {
    expect(parseRules([])).toEqual({ ok: true, rules: [] });
  });

  it('fills defaults, names a rule after its type and takes a severity override', () => {
    // Act
    const result = parseRules([{ type: 'spend-spike', severity: 'warning', ratio: 4 }]);
    // Assess
    expect(result).toEqual({
      ok: true,
      rules: [
        {
          type: 'spend-spike',
          name: 'spend-spike',
          severity: 'warning',
          cost_metric: 'unblended',
          ratio: 4,
          min_increase_usd: 25,
          new_spend_min_usd: 25,
          baseline_days: 7,
          levels: ['workload', 'workload_model'],
        },
      ],
    });
  });

  const errorCases = [
    {
      name: 'not a list',
      raw: { type: 'spend-spike' },
      want: 'rules: expected a list of rules, got a mapping; use [] to disable every rule',
    },
    {
      name: 'an entry that is not a mapping',
      raw: ['spend-spike'],
      want: 'rules[0]: expected a rule (a mapping with a "type" key), got string "spend-spike"',
    },
    {
      name: 'a missing type',
      raw: [{ ratio: 3 }],
      want: 'rules[0].type: required; known types: spend-spike, verbose-output, idle-provisioned, dev-in-prod, untagged-spend, cache-regression, model-mix-shift',
    },
    {
      name: 'an unknown type',
      raw: [{ type: 'spend-spik' }],
      want: 'rules[0].type: unknown rule type "spend-spik" (did you mean "spend-spike"?); known types: spend-spike, verbose-output, idle-provisioned, dev-in-prod, untagged-spend, cache-regression, model-mix-shift',
    },
    {
      name: 'an unknown key',
      raw: [
        { type: 'spend-spike' },
        { type: 'verbose-output' },
        { type: 'spend-spike', name: 'b', min_increse_usd: 25 },
      ],
      want: 'rules[2].min_increse_usd: unknown key "min_increse_usd" for rule type "spend-spike" (did you mean "min_increase_usd"?); allowed keys: type, name, severity, cost_metric, resolve_after_days, ratio, min_increase_usd, new_spend_min_usd, baseline_days, levels',
    },
    {
      name: 'a wrong value type',
      raw: [{ type: 'untagged-spend', min_share: '10%' }],
      want: 'rules[0].min_share: Invalid input: expected number, received string',
    },
    {
      name: 'a bad list item',
      raw: [{ type: 'spend-spike', levels: ['workload', 'team'] }],
      want: 'rules[0].levels[1]: Invalid option: expected one of "workload"|"workload_model"',
    },
    {
      name: 'a cross-field check',
      raw: [{ type: 'cache-regression', window_days: 5 }],
      want: 'rules[0].min_history_days: min_history_days must not exceed window_days',
    },
    {
      name: 'duplicate names',
      raw: [{ type: 'spend-spike' }, { type: 'spend-spike', ratio: 5 }],
      want: 'rules[1].name: duplicate rule name "spend-spike" (also rules[0]); give each rule of the same type its own name',
    },
  ];

  it.each(errorCases)('reports $name with its path', ({ raw, want }) => {
    // Act
    const message = errorsOf(raw);
    // Assess
    expect(message).toBe(want);
  });

  it('names the path and the allowed keys for a misspelt key', () => {
    // Act
    const message = errorsOf([
      { type: 'spend-spike' },
      { type: 'dev-in-prod' },
      { type: 'spend-spike', name: 'x', min_increse_usd: 25 },
    ]);
    // Assess
    expect(message).toMatchInlineSnapshot(
      `"rules[2].min_increse_usd: unknown key "min_increse_usd" for rule type "spend-spike" (did you mean "min_increase_usd"?); allowed keys: type, name, severity, cost_metric, resolve_after_days, ratio, min_increase_usd, new_spend_min_usd, baseline_days, levels"`,
    );
  });

  it('lists the known types for an unknown type', () => {
    expect(errorsOf([{ type: 'cost-spike' }])).toMatchInlineSnapshot(
      `"rules[0].type: unknown rule type "cost-spike"; known types: spend-spike, verbose-output, idle-provisioned, dev-in-prod, untagged-spend, cache-regression, model-mix-shift"`,
    );
  });

  it('parses the YAML example of every rule type', () => {
    for (const definition of RULE_DEFINITIONS) {
      // Prepare
      const raw = (parseYaml(definition.example) as { rules: unknown }).rules;
      // Act
      const result = parseRules(raw);
      // Assess
      expect(result.ok, definition.type).toBe(true);
      expect(definition.keys).toEqual(expect.arrayContaining(['type', 'name', 'severity', 'cost_metric']));
    }
    expect(RULE_TYPES).toHaveLength(7);
  });
});

describe('RulesSchema inside the config schema', () => {
  const Config = z
    .object({
      rules: RulesSchema.default(DEFAULT_RULES.map((r) => structuredClone(r))),
      completeness: CompletenessSchema.default(CompletenessSchema.parse({})),
      max_findings: MaxFindingsSchema,
    })
    .strict();

  it('keeps the rule path in config-level issues', () => {
    // Act
    const result = Config.safeParse({ rules: [{ type: 'spend-spike', ratio: 0.5 }] });
    // Assess
    expect(result.success).toBe(false);
    expect(z.prettifyError(result.error!)).toMatchInlineSnapshot(`
      "✖ Too small: expected number to be >1
        → at rules[0].ratio"
    `);
  });

  it('defaults all three sections', () => {
    // Act
    const config = Config.parse({});
    // Assess
    expect(config.rules).toHaveLength(7);
    expect(config.completeness).toEqual({ final_after_hours: 48 });
    expect(config.max_findings).toBe(200);
  });

  it('rejects unknown completeness keys', () => {
    expect(Config.safeParse({ completeness: { final_after: 24 } }).success).toBe(false);
  });
});
