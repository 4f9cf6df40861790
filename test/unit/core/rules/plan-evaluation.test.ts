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

  it('without learning labels, reads no facts for learning series and lists the same learning, unlabelled', () => {
    // Prepare: the first days of the facts, where every baseline rule is still learning, and a finding's day.
    const all = facts();
    const days = ['2026-05-02', '2026-05-03', '2026-05-05', '2026-06-29'];
    const input = {
      series: ruleSeriesFromFacts(all),
      rules: rules({ type: 'spend-spike' }, { type: 'verbose-output' }, { type: 'cache-regression' }),
      days,
      now: FINAL,
      completeness: { finalAfterHours: 48 },
      newestUsageHour: FINAL,
      maxFindings: 200,
    };
    const labelled = evaluateRules({ ...input, detail: factDetail(all) });
    // Act
    const plan = planEvaluation({ ...input, learningLabels: false });
    const result = evaluateRules({
      ...input,
      learningLabels: false,
      detail: factDetail(all),
      focus: plan.focus,
      plannedLearning: plan.learning,
    });
    // Assess
    expect(labelled.learning.length).toBeGreaterThan(10);
    expect(labelled.findings.length).toBeGreaterThan(0);
    expect(result.findings).toEqual(labelled.findings);
    const bare = (entries: typeof labelled.learning) =>
      entries.map(({ rule, name, day, reason }) => JSON.stringify([rule, name, day, reason])).sort();
    expect(bare(result.learning)).toEqual(bare(labelled.learning));
    expect(result.learning.every((l) => l.labels === undefined)).toBe(true);
    // Only the finding's day is judged again, and no fact of a learning day is asked for (with labels, they are).
    expect(plan.focus.flat().every((d) => d === '2026-06-29')).toBe(true);
    const learningDay = (r: { day: string }) => r.day < '2026-05-06';
    expect(plan.requests.filter(learningDay)).toEqual([]);
    expect(planEvaluation(input).requests.filter(learningDay).length).toBeGreaterThan(0);
  });
});
