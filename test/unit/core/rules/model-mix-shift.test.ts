import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney } from '../../../../src/core/money.js';
import { evaluate, fact, history, OPUS, rules, SONNET } from './fact-builder.js';

const DAY = '2026-06-15';
const mix = rules({ type: 'model-mix-shift' });

/** Tokens per model on one day; Opus costs $50/M blended, Sonnet $10/M. */
function day(usageDate: string, sonnet: number, opus: number, workload = 'support-bot'): DailyFact[] {
  return [
    fact({ usageDate, workload, model: SONNET, tokens: sonnet, cost: ((sonnet * 10) / 1e6).toFixed(6) }),
    fact({ usageDate, workload, model: OPUS, tokens: opus, cost: ((opus * 50) / 1e6).toFixed(6) }),
  ];
}

const usual = history(DAY, 14, (d) => day(d, 900_000, 100_000));

describe('model-mix-shift', () => {
  const cases = [
    { name: 'premium share 10% → 50% fires', facts: [...usual, ...day(DAY, 500_000, 500_000)], want: 1 },
    {
      name: 'premium share 10% → 25% (+15 points) does not fire',
      facts: [...usual, ...day(DAY, 750_000, 250_000)],
      want: 0,
    },
    {
      name: 'a shift on $5 of premium spend does not fire',
      facts: [...history(DAY, 14, (d) => day(d, 90_000, 10_000)), ...day(DAY, 50_000, 50_000)],
      want: 0,
    },
    {
      name: 'a premium share that falls does not fire',
      facts: [...history(DAY, 14, (d) => day(d, 500_000, 500_000)), ...day(DAY, 900_000, 100_000)],
      want: 0,
    },
    {
      name: 'fewer than 7 days of history is learning',
      facts: [...history(DAY, 6, (d) => day(d, 900_000, 100_000)), ...day(DAY, 500_000, 500_000)],
      want: 0,
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: mix, days: [DAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings).toHaveLength(want);
  });

  it('explains the shift in points and dollars, with the model that moved', () => {
    // Prepare
    const facts = [...usual, ...day(DAY, 500_000, 500_000)];
    // Act
    const [finding] = evaluate({ facts, rules: mix, days: [DAY] }).findings;
    // Assess
    expect(finding!.labels.model).toBe('*');
    expect(finding!.figures.points).toBeCloseTo(40);
    expect(formatMoney(finding!.figures.delta)).toBe('20');
    expect(finding!.why[0]).toBe(
      'support-bot sent 50% of its tokens to premium-tier models on 2026-06-15, up 40 points from its 14-day median of 10%',
    );
    expect(finding!.contributors[0]).toMatchObject({ dimension: 'model', value: OPUS });
  });
});
