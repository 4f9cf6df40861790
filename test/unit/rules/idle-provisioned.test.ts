import { describe, expect, it } from 'vitest';
import { formatMoney, type Money } from '../../../src/core/money.js';
import type { UtilizationData } from '../../../src/core/rules/utilization.js';
import { commitmentId } from '../../../src/core/rules/utilization.js';
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
});
