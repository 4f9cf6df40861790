import { describe, expect, it } from 'vitest';
import { formatMoney } from '../../../../src/core/money.js';
import { addDays } from '../../../../src/core/time/days.js';
import { dailyCosts, evaluate, fact, HAIKU, history, OPUS, rules, SONNET } from './fact-builder.js';

const MONDAY = '2026-06-15';
const spike = rules({ type: 'spend-spike' });

function weekdayCosts(lastDay: string, days: number, weekday: number, weekend: number, lastDayCost: number) {
  const out = [];
  for (let back = days - 1; back >= 0; back -= 1) {
    const usageDate = addDays(lastDay, -back);
    const dow = new Date(`${usageDate}T00:00:00Z`).getUTCDay();
    const cost = back === 0 ? lastDayCost : dow === 0 || dow === 6 ? weekend : weekday;
    if (cost > 0) out.push(fact({ usageDate, cost: cost.toString(), usageKind: 'output' }));
  }
  return out;
}

describe('spend-spike', () => {
  const cases = [
    {
      name: 'a real spike pages',
      facts: dailyCosts(MONDAY, [40, 40, 40, 40, 40, 40, 40, 200]),
      want: ['page'],
    },
    {
      name: 'a 3× jump on $2 does not fire',
      facts: dailyCosts(MONDAY, [0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7, 2.1]),
      want: [],
    },
    {
      name: 'a smooth +20%/day ramp does not fire',
      facts: dailyCosts(
        MONDAY,
        Array.from({ length: 14 }, (_, i) => 100 * 1.2 ** i),
      ),
      want: [],
    },
    {
      name: 'Monday recovery after a weekend dip ($12 → $40, 3.3× and +$28) does not fire',
      facts: weekdayCosts(MONDAY, 15, 40, 12, 40),
      want: [],
    },
    {
      name: 'a real Monday spike after a weekend dip fires',
      facts: weekdayCosts(MONDAY, 15, 40, 12, 150),
      want: ['page'],
    },
    {
      name: 'a weekday-only workload is not new spend on Monday',
      facts: weekdayCosts(MONDAY, 15, 40, 0, 40),
      want: [],
    },
    {
      name: 'a 2.9× jump does not fire',
      facts: dailyCosts(MONDAY, [100, 100, 100, 100, 100, 100, 100, 290]),
      want: [],
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: spike, days: [MONDAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings.filter((f) => f.labels.model === '*').map((f) => f.severity)).toEqual(want);
  });

  it('a naive day-over-day rule (baseline_days: 1) would page on the weekend recovery', () => {
    // Prepare
    const facts = weekdayCosts(MONDAY, 15, 40, 12, 40);
    // Act
    const { findings } = evaluate({
      facts,
      rules: rules({ type: 'spend-spike', baseline_days: 1, levels: ['workload'] }),
      days: [MONDAY],
    });
    // Assess
    expect(findings.map((f) => [f.severity, f.why[0]])).toEqual([
      ['page', 'support-bot spent $40.00 on 2026-06-15, 3.3× the $12.00 of 2026-06-14 (+$28.00)'],
    ]);
  });

  it('explains a spike in dollars against the previous day and the trailing median', () => {
    // Prepare
    const facts = dailyCosts(MONDAY, [100, 100, 100, 100, 100, 100, 100.2, 412.3]);
    // Act
    const [workload] = evaluate({ facts, rules: spike, days: [MONDAY] }).findings;
    // Assess
    expect(workload!.rule).toBe('spend-spike');
    expect(workload!.figures.kind).toBe('spike');
    expect(formatMoney(workload!.figures.delta)).toBe('312.1');
    expect(workload!.why[0]).toBe(
      'support-bot spent $412.30 on 2026-06-15, 4.1× the $100.20 of 2026-06-14 (+$312.10)',
    );
    expect(workload!.why[1]).toBe(
      'Its trailing 7-day median was $100.00/day, so this is 4.1× its usual level, not a return to it',
    );
    expect(workload!.labels).toEqual({
      workload: 'support-bot',
      model: '*',
      team: 'support',
      cost_center: 'cc-100',
      account: '111111111111',
      environment: 'prod',
    });
  });

  it('reports the workload × model breakdown at warning when the workload level pages', () => {
    // Prepare
    const facts = dailyCosts(MONDAY, [40, 40, 40, 40, 40, 40, 40, 200]);
    // Act
    const { findings } = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(findings.map((f) => [f.labels.model, f.severity])).toEqual([
      ['*', 'page'],
      [SONNET, 'warning'],
    ]);
    expect(findings[1]!.why.at(-1)).toContain('carries the page');
  });

  it('drops the per-model finding when levels is only [workload]', () => {
    // Prepare
    const facts = dailyCosts(MONDAY, [40, 40, 40, 40, 40, 40, 40, 200]);
    // Act
    const { findings } = evaluate({
      facts,
      rules: rules({ type: 'spend-spike', levels: ['workload'] }),
      days: [MONDAY],
    });
    // Assess
    expect(findings).toHaveLength(1);
  });

  it('pages on a model spike when the workload total grows but not 3×', () => {
    // Prepare
    const facts = [
      ...dailyCosts(MONDAY, [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000], { model: SONNET }),
      ...dailyCosts(MONDAY, [20, 20, 20, 20, 20, 20, 20, 200], { model: OPUS }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(findings.map((f) => [f.labels.model, f.severity])).toEqual([[OPUS, 'page']]);
  });

  it('does not page when spend only moved between models', () => {
    // Prepare
    const facts = [
      ...dailyCosts(MONDAY, [100, 100, 100, 100, 100, 100, 100, 10], { model: SONNET }),
      ...dailyCosts(MONDAY, [10, 10, 10, 10, 10, 10, 10, 100], { model: HAIKU }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(findings.map((f) => [f.labels.model, f.severity])).toEqual([[HAIKU, 'warning']]);
    expect(findings[0]!.why.at(-1)).toContain('shifted between models');
  });

  it('reports new spend for a workload that did not exist, with contributors', () => {
    // Prepare
    const facts = [
      ...dailyCosts(MONDAY, Array(15).fill(50), { workload: 'search' }),
      fact({ usageDate: MONDAY, workload: 'new-agent', usageKind: 'input', cost: '10' }),
      fact({ usageDate: MONDAY, workload: 'new-agent', usageKind: 'output', cost: '20' }),
    ];
    // Act
    const { findings } = evaluate({
      facts,
      rules: rules({ type: 'spend-spike', levels: ['workload'] }),
      days: [MONDAY],
    });
    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]!.labels.workload).toBe('new-agent');
    expect(findings[0]!.figures.kind).toBe('new-spend');
    expect(findings[0]!.figures.ratio).toBeNull();
    expect(findings[0]!.why[0]).toBe('new-agent spent $30.00 on 2026-06-15 after no spend on 2026-06-14');
    expect(findings[0]!.contributors.map((c) => [c.dimension, c.value, formatMoney(c.delta)])).toEqual([
      ['model', SONNET, '30'],
      ['usage_kind', 'output', '20'],
      ['usage_kind', 'input', '10'],
    ]);
  });

  it('does not report new spend under new_spend_min_usd', () => {
    // Prepare
    const facts = [
      ...dailyCosts(MONDAY, Array(15).fill(50), { workload: 'search' }),
      fact({ usageDate: MONDAY, workload: 'new-agent', cost: '24.99' }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(findings).toEqual([]);
  });

  it('does not count commitment fees, tax or credits as a spike', () => {
    // Prepare
    const usage = dailyCosts(MONDAY, Array(8).fill(40));
    const facts = [
      ...usage,
      fact({ usageDate: MONDAY, usageKind: 'provisioned_hours', cost: '960', resourceId: 'arn:pt/1' }),
      fact({ usageDate: MONDAY, usageKind: 'reserved_hours', cost: '500' }),
      fact({ usageDate: MONDAY, lineItemType: 'Tax', usageKind: 'other', cost: '300' }),
      fact({ usageDate: addDays(MONDAY, -1), lineItemType: 'Credit', cost: '-35' }),
    ];
    // Act
    const { findings } = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(findings).toEqual([]);
  });

  it('is learning, not new spend, when the facts do not cover the previous day', () => {
    // Prepare
    const facts = [fact({ usageDate: MONDAY, cost: '500' })];
    // Act
    const result = evaluate({ facts, rules: spike, days: [MONDAY] });
    // Assess
    expect(result.findings).toEqual([]);
    expect(result.learning.map((l) => [l.rule, l.labels?.model, l.reason])).toEqual([
      ['spend-spike', '*', 'no data for the previous day'],
      ['spend-spike', SONNET, 'no data for the previous day'],
    ]);
  });

  it('uses net cost when cost_metric is net', () => {
    // Prepare: unblended jumps 4×, net (after a private-rate discount) only 2×
    const facts = [
      ...history(MONDAY, 7, (usageDate) => [fact({ usageDate, cost: '100', costNet: '100' })]),
      fact({ usageDate: MONDAY, cost: '400', costNet: '200' }),
    ];
    // Act
    const unblended = evaluate({ facts, rules: spike, days: [MONDAY] }).findings;
    const net = evaluate({
      facts,
      rules: rules({ type: 'spend-spike', cost_metric: 'net' }),
      days: [MONDAY],
    }).findings;
    // Assess
    expect(unblended.length).toBeGreaterThan(0);
    expect(net).toEqual([]);
  });
});
