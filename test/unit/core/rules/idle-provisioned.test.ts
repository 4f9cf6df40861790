import { describe, expect, it } from 'vitest';
import { conditionKey } from '../../../../src/core/keys.js';
import { formatMoney, type Money } from '../../../../src/core/money.js';
import { idleProvisionedRule } from '../../../../src/core/rules/idle-provisioned.js';
import type { UtilizationData } from '../../../../src/core/rules/utilization.js';
import { commitmentId } from '../../../../src/core/rules/utilization.js';
import { ACCOUNT, evaluate, fact, rules, SONNET } from './fact-builder.js';

const DAY = '2026-06-15';
const PT = `arn:aws:bedrock:us-east-1:${ACCOUNT}:provisioned-model/abc123`;
const idle = rules({ type: 'idle-provisioned' });

const fee = fact({
  usageDate: DAY,
  usageKind: 'provisioned_hours',
  serviceTier: 'provisioned',
  resourceKind: 'provisioned-model',
  resourceId: PT,
  workload: 'search',
  cost: '480',
});
const onDemand = fact({
  usageDate: DAY,
  usageKind: 'input',
  tokens: 10_000_000,
  cost: '30',
  workload: 'search',
});

describe('idle-provisioned', () => {
  const cases: {
    name: string;
    facts: ReturnType<typeof fact>[];
    utilization?: UtilizationData;
    want: string[];
  }[] = [
    {
      name: 'measured 5% utilization is idle',
      facts: [fee],
      utilization: { [PT]: { [DAY]: 0.05 } },
      want: ['idle'],
    },
    {
      name: 'measured 50% utilization is fine',
      facts: [fee],
      utilization: { [PT]: { [DAY]: 0.5 } },
      want: [],
    },
    {
      name: 'unknown (null) utilization does not fire',
      facts: [fee],
      utilization: { [PT]: { [DAY]: null } },
      want: [],
    },
    {
      name: 'a source without a reading for the day is unknown, not bypassed',
      facts: [fee, onDemand],
      utilization: { [PT]: { '2026-06-14': 0.8 } },
      want: [],
    },
    {
      name: 'utilization keyed by model/account/region is found too',
      facts: [fee],
      utilization: { [`${ACCOUNT}/us-east-1/${SONNET}`]: { [DAY]: 0 } },
      want: ['idle'],
    },
    {
      name: 'no source and on-demand traffic beside it is bypassed',
      facts: [fee, onDemand],
      want: ['bypassed'],
    },
    {
      name: 'on-demand traffic in another region is not bypassing it',
      facts: [fee, { ...onDemand, region: 'us-west-2' }],
      want: [],
    },
    { name: 'no source and no traffic cannot be judged', facts: [fee], want: [] },
    { name: 'on-demand traffic with no commitment paid is nothing', facts: [onDemand], want: [] },
    {
      name: 'traffic served by the commitment itself is not on-demand',
      facts: [fee, { ...onDemand, serviceTier: 'provisioned' }],
      want: [],
    },
  ];

  it.each(cases)('$name', ({ facts, utilization, want }) => {
    // Prepare
    const input = { facts, rules: idle, days: [DAY], ...(utilization ? { utilization } : {}) };
    // Act
    const { findings } = evaluate(input);
    // Assess
    expect(findings.map((f) => f.figures.kind)).toEqual(want);
  });

  it('puts the idle dollars in the figures and the commitment in the labels', () => {
    // Prepare
    const utilization = { [PT]: { [DAY]: 0.05 } };
    // Act
    const [finding] = evaluate({ facts: [fee], rules: idle, days: [DAY], utilization }).findings;
    // Assess
    expect(finding!.labels).toMatchObject({
      workload: 'search',
      model: SONNET,
      account: ACCOUNT,
      commitment: PT,
    });
    expect(formatMoney(finding!.figures.today)).toBe('480');
    expect(formatMoney(finding!.figures.delta)).toBe('456');
    expect(finding!.why[0]).toBe(
      `Provisioned Throughput ${PT} (${SONNET}, ${ACCOUNT}, us-east-1) cost $480.00 on 2026-06-15 and was 5% utilized`,
    );
  });

  it('reports the on-demand cost as the bypass figure', () => {
    // Act
    const [finding] = evaluate({ facts: [fee, onDemand], rules: idle, days: [DAY] }).findings;
    // Assess
    expect(formatMoney(finding!.figures.today)).toBe('30');
    expect(formatMoney(finding!.figures.commitment_cost as Money)).toBe('480');
  });

  it('lists an unknown reading as learning', () => {
    // Act
    const { learning } = evaluate({
      facts: [fee],
      rules: idle,
      days: [DAY],
      utilization: { [PT]: { [DAY]: null } },
    });
    // Assess
    expect(learning.map((l) => l.reason)).toEqual([
      'utilization unknown for this day (a null reading is not zero)',
    ]);
  });

  it('identifies a commitment by resource id, else by account/region/model', () => {
    expect(commitmentId(fee)).toBe(PT);
    expect(commitmentId({ ...fee, resourceId: '' })).toBe(`${ACCOUNT}/us-east-1/${SONNET}`);
  });

  it('reports every bypassed day: the alerting layer, not the rule, folds the days into one condition', () => {
    const days = Array.from({ length: 15 }, (_, i) => `2026-06-${String(i + 1).padStart(2, '0')}`);
    const facts = days.flatMap((usageDate) => [
      { ...fee, usageDate },
      { ...onDemand, usageDate },
    ]);
    const result = evaluate({ facts, rules: idle, days, newestUsageHour: new Date('2026-06-20T00:00:00Z') });
    expect(result.findings.map((f) => f.day)).toEqual(days);
    expect(result.findings.every((f) => f.figures.streak_days === undefined)).toBe(true);
    // One condition: the same rule and labels every day, so conditionKey is the same.
    expect(new Set(result.findings.map((f) => conditionKey(f))).size).toBe(1);
  });

  it('skips a day the commitment was not bypassed', () => {
    const days = ['2026-06-01', '2026-06-02', '2026-06-03', '2026-06-04'];
    const facts = days.flatMap((usageDate) =>
      usageDate === '2026-06-02'
        ? [{ ...fee, usageDate }]
        : [
            { ...fee, usageDate },
            { ...onDemand, usageDate },
          ],
    );
    const result = evaluate({ facts, rules: idle, days, newestUsageHour: new Date('2026-06-20T00:00:00Z') });
    expect(result.findings.map((f) => f.day)).toEqual(['2026-06-01', '2026-06-03', '2026-06-04']);
  });

  it("no longer accepts repeat_every_days (repeats are the routes' repeat_interval now)", () => {
    expect(
      idleProvisionedRule.schema.safeParse({ type: 'idle-provisioned', repeat_every_days: 7 }).success,
    ).toBe(false);
  });
});
