import { describe, expect, it } from 'vitest';
import { formatMoney, parseQuantity } from '../../../../src/core/money.js';
import { parseCommitmentUsageType } from '../../../../src/core/review/commitment-usage-type.js';
import { commitmentInventory } from '../../../../src/core/review/commitments.js';
import { lastEndedQuarter, quarterBounds, quarterOf } from '../../../../src/core/time/quarter.js';
import { dfact } from '../../../helpers/digest-facts.js';
import { ACCT_A, days, NOVA, PT_USED, ptDay } from './review-fixtures.js';

describe('commitment usage types', () => {
  it.each([
    [
      'USE1-Nova2.0Lite-ProvisionedThroughput-NoCommit-ModelUnits',
      'provisioned-throughput',
      'no-commit',
      null,
      null,
    ],
    [
      'USE1-Nova2.0Lite-ProvisionedThroughput-1month-ModelUnits',
      'provisioned-throughput',
      '1-month',
      null,
      null,
    ],
    [
      'USW2-Claude3Haiku-ProvisionedThroughput-6month-ModelUnits',
      'provisioned-throughput',
      '6-month',
      null,
      null,
    ],
    [
      'USE1-Custom-ProvisionedThroughput-NoCommit-ModelUnits',
      'provisioned-throughput',
      'no-commit',
      null,
      null,
    ],
    ['USE1-Reserved_1Month_InputTPM_Geo-Units', 'reserved-tier', '1-month', 'input', 'geo'],
    ['USE1-MP:USE1_Reserved_3Month_OutputTPM_Global-Units', 'reserved-tier', '3-month', 'output', 'global'],
  ])('%s', (usageType, kind, term, direction, routing) => {
    expect(parseCommitmentUsageType(usageType)).toMatchObject({ kind, term, direction, routing });
  });

  it('flags custom-model PT and ignores token usage types', () => {
    expect(parseCommitmentUsageType('USE1-Custom-ProvisionedThroughput-NoCommit-ModelUnits')!.custom).toBe(
      true,
    );
    expect(parseCommitmentUsageType('USE1-Nova2.0Lite-input-tokens')).toBeNull();
    expect(parseCommitmentUsageType('USE1-Nova2.0Lite-ProvisionedThroughput-ModelUnits')!.term).toBe(
      'unknown',
    );
  });
});

describe('commitment inventory', () => {
  it('derives units, hours paid, cost and first/last seen; partial first and last days do not skew units', () => {
    const paid = days('2026-05-10', '2026-05-20');
    const facts = paid.map((d, i) =>
      ptDay(d, {
        arn: PT_USED,
        account: ACCT_A,
        units: 2,
        hourly: '55',
        term: '1month',
        hours: i === 0 ? 10 : i === paid.length - 1 ? 5 : 24,
      }),
    );
    const [c] = commitmentInventory(facts, 'unblended');
    expect(c).toMatchObject({
      id: PT_USED,
      kind: 'provisioned-throughput',
      term: '1-month',
      model: NOVA,
      account: ACCT_A,
      workload: 'doc-summarizer',
      units: 2,
      firstSeen: '2026-05-10',
      lastSeen: '2026-05-20',
    });
    expect(c!.hoursPaid).toBe(10 + 5 + 9 * 24);
    expect(c!.unitHours).toBe(2 * (10 + 5 + 9 * 24));
    expect(formatMoney(c!.cost)).toBe(String(55 * 2 * (10 + 5 + 9 * 24)));
  });

  it('keeps Reserved tier input and output as separate commitments (units as billed)', () => {
    const base = {
      model: 'anthropic.claude-sonnet-4-6',
      usageKind: 'reserved_hours' as const,
      serviceTier: 'reserved' as const,
      pricingUnit: '1M TPM Hour',
    };
    const facts = days('2026-05-01', '2026-05-03').flatMap((d) => [
      dfact({
        ...base,
        usageDate: d,
        usageType: 'USE1-Reserved_1Month_InputTPM_Geo-Units',
        usageAmount: parseQuantity('48'),
        cost: '9.504',
      }),
      dfact({
        ...base,
        usageDate: d,
        usageType: 'USE1-Reserved_1Month_OutputTPM_Geo-Units',
        usageAmount: parseQuantity('24'),
        cost: '23.76',
      }),
    ]);
    const inventory = commitmentInventory(facts, 'unblended');
    expect(inventory.map((c) => [c.direction, c.units, c.hoursPaid, c.term])).toEqual([
      ['output', 1, 72, '1-month'],
      ['input', 2, 72, '1-month'],
    ]);
  });
});

describe('quarters', () => {
  it('bounds, membership and the last ended quarter', () => {
    expect(quarterBounds('2026-Q2')).toEqual({ first: '2026-04-01', last: '2026-06-30' });
    expect(quarterBounds('2024-Q1')).toEqual({ first: '2024-01-01', last: '2024-03-31' });
    expect(quarterOf('2026-12-31')).toBe('2026-Q4');
    expect(lastEndedQuarter(new Date('2026-07-02T00:00:00Z'))).toBe('2026-Q2');
    expect(lastEndedQuarter(new Date('2027-02-01T00:00:00Z'))).toBe('2026-Q4');
    expect(() => quarterBounds('2026-Q5')).toThrow(RangeError);
  });
});
