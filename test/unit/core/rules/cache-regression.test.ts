import { describe, expect, it } from 'vitest';
import type { DailyFact } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney } from '../../../../src/core/money.js';
import { evaluate, fact, history, rules } from './fact-builder.js';

const DAY = '2026-06-15';
const cache = rules({ type: 'cache-regression' });

/** Sonnet prices: input $3/M, cache read $0.30/M, output $15/M. */
function day(usageDate: string, input: number, cacheRead: number): DailyFact[] {
  return [
    fact({ usageDate, usageKind: 'input', tokens: input, cost: ((input * 3) / 1e6).toFixed(6) }),
    fact({
      usageDate,
      usageKind: 'cache_read',
      tokens: cacheRead,
      cost: ((cacheRead * 0.3) / 1e6).toFixed(6),
    }),
    fact({ usageDate, usageKind: 'output', tokens: 200_000, cost: '3' }),
  ];
}

/** 75% of 4M input-side tokens read from cache, every day. */
const warm = history(DAY, 14, (d) => day(d, 1_000_000, 3_000_000));

describe('cache-regression', () => {
  const cases = [
    {
      name: 'share 75% → 10% at flat volume fires',
      facts: [...warm, ...day(DAY, 3_600_000, 400_000)],
      want: 1,
    },
    {
      name: 'share 75% → 50% (−33%) does not fire',
      facts: [...warm, ...day(DAY, 2_000_000, 2_000_000)],
      want: 0,
    },
    {
      name: 'volume doubled (outside ±30%) does not fire',
      facts: [...warm, ...day(DAY, 7_200_000, 800_000)],
      want: 0,
    },
    {
      name: 'a small workload whose lost hits cost < $5 does not fire',
      facts: [...history(DAY, 14, (d) => day(d, 100_000, 300_000)), ...day(DAY, 360_000, 40_000)],
      want: 0,
    },
    {
      name: 'fewer than 7 days of history is learning',
      facts: [...history(DAY, 5, (d) => day(d, 1_000_000, 3_000_000)), ...day(DAY, 3_600_000, 400_000)],
      want: 0,
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: cache, days: [DAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings).toHaveLength(want);
  });

  it.each(['cache_write', 'cache_write_30m', 'cache_write_1h'] as const)(
    'counts %s tokens on the input side: a day that writes the cache instead of reading it fires',
    (usageKind) => {
      // Prepare: today 3M of the 4M input-side tokens are cache writes of this TTL, 0.4M reads
      const today = [
        fact({ usageDate: DAY, usageKind: 'input', tokens: 600_000, cost: '1.8' }),
        fact({ usageDate: DAY, usageKind, tokens: 3_000_000, cost: '11.25' }),
        fact({ usageDate: DAY, usageKind: 'cache_read', tokens: 400_000, cost: '0.12' }),
      ];
      // Act
      const { findings } = evaluate({ facts: [...warm, ...today], rules: cache, days: [DAY] });
      // Assess: the share is 0.4M of 4M (10%), not 0.4M of 1M
      expect(findings).toHaveLength(1);
      expect(findings[0]!.figures.cache_read_share).toBeCloseTo(0.1);
    },
  );

  it('estimates what the lost cache hits cost', () => {
    // Prepare
    const facts = [...warm, ...day(DAY, 3_600_000, 400_000)];
    // Act
    const [finding] = evaluate({ facts, rules: cache, days: [DAY] }).findings;
    // Assess: 65% of 4M tokens moved from $0.30/M to $3/M = 2.6M × $2.70/M
    expect(formatMoney(finding!.figures.delta)).toBe('7.02');
    expect(finding!.figures.cache_read_share).toBeCloseTo(0.1);
    expect(finding!.why[0]).toBe(
      'support-bot on anthropic.claude-sonnet-4 read 10% of its input from cache on 2026-06-15, down from a 14-day median of 75% (−87%)',
    );
    expect(finding!.why[1]).toBe(
      'Input volume stayed level: 4,000,000 tokens vs a median of 4,000,000 (+0%, band ±30%)',
    );
  });

  it('lists a short series as learning', () => {
    // Prepare
    const facts = [...history(DAY, 5, (d) => day(d, 1_000_000, 3_000_000)), ...day(DAY, 3_600_000, 400_000)];
    // Act
    const { learning } = evaluate({ facts, rules: cache, days: [DAY] });
    // Assess
    expect(learning.map((l) => l.reason)).toEqual(['learning: 5 of 7 days of history in the last 14']);
  });
});
