import { describe, expect, it } from 'vitest';
import { UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import { formatMoney } from '../../../../src/core/money.js';
import { evaluate, fact, OTHER_ACCOUNT, rules } from './fact-builder.js';

const DAY = '2026-06-15';
const untagged = rules({ type: 'untagged-spend' });

function spend(tagged: string, unallocated: string, extra: Partial<Parameters<typeof fact>[0]> = {}) {
  return [
    fact({ usageDate: DAY, cost: tagged }),
    fact({
      usageDate: DAY,
      workload: UNALLOCATED,
      team: UNALLOCATED,
      costCenter: UNALLOCATED,
      cost: unallocated,
      ...extra,
    }),
  ];
}

describe('untagged-spend', () => {
  const cases = [
    { name: '20% and $20 unallocated fires', facts: spend('80', '20'), want: 1 },
    { name: '5% unallocated does not fire', facts: spend('950', '50'), want: 0 },
    { name: '50% but only $5 does not fire', facts: spend('5', '5'), want: 0 },
    {
      name: 'unallocated tax does not count',
      facts: spend('80', '20', { lineItemType: 'Tax', usageKind: 'other' }),
      want: 0,
    },
    {
      name: 'unallocated commitment fees count',
      facts: spend('80', '20', { usageKind: 'provisioned_hours' }),
      want: 1,
    },
  ];

  it.each(cases)('$name', ({ facts, want }) => {
    // Prepare
    const input = { facts, rules: untagged, days: [DAY] };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings).toHaveLength(want);
  });

  it('labels the unallocated bucket with the account that carries it', () => {
    // Act
    const [finding] = evaluate({ facts: spend('80', '20'), rules: untagged, days: [DAY] }).findings;
    // Assess
    expect(finding!.labels).toMatchObject({ workload: UNALLOCATED, model: '*', account: '111111111111' });
    expect(formatMoney(finding!.figures.today)).toBe('20');
    expect(finding!.figures.share).toBeCloseTo(0.2);
    expect(finding!.why[0]).toBe('$20.00 of $100.00 Bedrock spend on 2026-06-15 (20%) has no workload');
  });

  it('labels the account * when no account carries half', () => {
    // Prepare
    const facts = [
      ...spend('60', '15'),
      fact({ usageDate: DAY, workload: UNALLOCATED, usageAccount: OTHER_ACCOUNT, cost: '15' }),
      fact({ usageDate: DAY, workload: UNALLOCATED, usageAccount: '333333333333', cost: '10' }),
    ];
    // Act
    const [finding] = evaluate({ facts, rules: untagged, days: [DAY] }).findings;
    // Assess
    expect(finding!.labels.account).toBe('*');
    expect(finding!.contributors.map((c) => [c.dimension, c.value])[0]).toEqual(['account', '111111111111']);
  });
});
