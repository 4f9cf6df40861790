import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney } from '../../../../src/core/money.js';
import { evaluate, fact, history, rules } from './fact-builder.js';

const DAY = '2026-06-15';
const verbose = rules({ type: 'verbose-output' });

/** Sonnet prices: input $3/M, output $15/M, cache read $0.30/M. */
function tokens(
  usageDate: string,
  input: number,
  output: number,
  cacheRead = 0,
  workload = 'support-bot',
): DailyFact[] {
  const out = [
    fact({ usageDate, workload, usageKind: 'input', tokens: input, cost: ((input * 3) / 1e6).toFixed(6) }),
    fact({
      usageDate,
      workload,
      usageKind: 'output',
      tokens: output,
      cost: ((output * 15) / 1e6).toFixed(6),
    }),
  ];
  if (cacheRead > 0) {
    out.push(
      fact({
        usageDate,
        workload,
        usageKind: 'cache_read',
        tokens: cacheRead,
        cost: ((cacheRead * 0.3) / 1e6).toFixed(6),
      }),
    );
  }
  return out;
}

const steady = history(DAY, 14, (d) => tokens(d, 1_000_000, 300_000));

describe('verbose-output', () => {
  const cases = [
    {
      name: '5× the usual ratio with $22.50 of output fires',
      facts: [...steady, ...tokens(DAY, 1_000_000, 1_500_000)],
      want: 1,
    },
    {
      name: '1.8× the usual ratio does not fire',
      facts: [...steady, ...tokens(DAY, 1_000_000, 540_000)],
      want: 0,
    },
    {
      name: '3× the ratio on $0.90 of output does not fire',
      facts: [...history(DAY, 14, (d) => tokens(d, 100_000, 20_000)), ...tokens(DAY, 100_000, 60_000)],
      want: 0,
    },
    {
      name: 'cache reads count in the denominator',
      facts: [...steady, ...tokens(DAY, 1_000_000, 1_500_000, 4_000_000)],
      want: 0,
    },
    {
      name: 'fewer than 7 days of history is learning, not a finding',
      facts: [...history(DAY, 6, (d) => tokens(d, 1_000_000, 300_000)), ...tokens(DAY, 1_000_000, 1_500_000)],
      want: 0,
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: verbose, days: [DAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings).toHaveLength(want);
  });

  it('explains the ratio and the excess output spend', () => {
    // Prepare
    const facts = [...steady, ...tokens(DAY, 1_000_000, 1_500_000)];
    // Act
    const [finding] = evaluate({ facts, rules: verbose, days: [DAY] }).findings;
    // Assess
    expect(finding!.severity).toBe('warning');
    expect(finding!.figures.ratio).toBeCloseTo(5);
    expect(formatMoney(finding!.figures.today)).toBe('22.5');
    expect(formatMoney(finding!.figures.baseline)).toBe('4.5');
    expect(finding!.why[0]).toBe(
      'support-bot on anthropic.claude-sonnet-4 wrote 1.50 output tokens per input token on 2026-06-15, 5.0× its 14-day median of 0.30 (14 days of history)',
    );
    expect(finding!.why[1]).toBe(
      'Output cost $22.50 on 1,500,000 output tokens; at the usual ratio it would have been about $4.50 (+$18.00)',
    );
  });

  it('lists a new workload as learning while new-spend still fires for it', () => {
    // Prepare
    const facts = [
      ...history(DAY, 14, (d) => tokens(d, 1_000_000, 300_000, 0, 'search')),
      ...tokens(DAY, 2_000_000, 2_000_000, 0, 'new-agent'),
    ];
    // Act
    const result = evaluate({
      facts,
      rules: rules({ type: 'spend-spike', levels: ['workload'] }, { type: 'verbose-output' }),
      days: [DAY],
    });
    // Assess
    expect(result.findings.map((f) => [f.rule, f.labels.workload, f.figures.kind])).toEqual([
      ['spend-spike', 'new-agent', 'new-spend'],
    ]);
    expect(result.learning.map((l) => [l.rule, l.labels?.workload, l.reason])).toEqual([
      ['verbose-output', 'new-agent', 'learning: 0 of 7 days of history in the last 14'],
    ]);
  });
});
