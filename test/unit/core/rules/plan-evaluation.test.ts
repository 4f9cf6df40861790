import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { evaluateRules, planEvaluation } from '../../../../src/core/rules/evaluate-rules.js';
import { factDetail } from '../../../../src/core/rules/fact-detail.js';
import { ruleSeriesFromFacts } from '../../../../src/core/rules/rule-series.js';
import { dfact, generateFacts } from '../../../helpers/digest-facts.js';
import { FINAL, rules } from './fact-builder.js';

/** Two months of realistic facts with a spike, dev traffic in prod and a lost cache on the last days. */
function facts(): DailyFact[] {
  return [
    ...generateFacts('2026-05-01', '2026-06-30'),
    dfact({
      usageDate: '2026-06-29',
      workload: 'support-bot',
      usageKind: 'output',
      tokens: 9e6,
      cost: '900',
    }),
    dfact({ usageDate: '2026-06-28', workload: 'lab', environment: 'dev', cost: '12' }),
  ];
}

describe('planEvaluation', () => {
  it('reads only the facts of reported series-days and gives the same result as judging with every fact', () => {
    // Prepare
    const all = facts();
    const days = ['2026-06-01', '2026-06-15', '2026-06-28', '2026-06-29', '2026-06-30'];
    const input = {
      series: ruleSeriesFromFacts(all),
      rules: rules(
        { type: 'spend-spike' },
        { type: 'verbose-output' },
        { type: 'idle-provisioned' },
        { type: 'dev-in-prod' },
        { type: 'untagged-spend', min_share: 0.01 },
        { type: 'cache-regression' },
        { type: 'model-mix-shift' },
      ),
      days,
      now: FINAL,
      completeness: { finalAfterHours: 48 },
      newestUsageHour: FINAL,
      maxFindings: 200,
    };
    const everything = evaluateRules({ ...input, detail: factDetail(all) });
    // Act
    const plan = planEvaluation(input);
    const memory = factDetail(all);
    const needed = new Set(plan.requests.flatMap((r) => [...memory.facts(r.scope, r.day)]));
    const planned = evaluateRules({
      ...input,
      detail: factDetail(all.filter((f) => needed.has(f))),
      focus: plan.focus,
    });
    // Assess
    expect(everything.findings.length).toBeGreaterThan(0);
    expect(planned).toEqual(everything);
    expect(needed.size).toBeLessThan(all.length / 2);
    expect(plan.focus.some((d) => d.length < days.length)).toBe(true);
  });
});
