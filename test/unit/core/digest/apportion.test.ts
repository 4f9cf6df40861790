import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../../src/core/digest/allocate.js';
import { apportion } from '../../../../src/core/digest/apportion.js';
import { UNALLOCATED } from '../../../../src/core/facts/daily-fact.js';
import { dfact } from '../../../helpers/digest-facts.js';

describe('apportion (largest remainder)', () => {
  it('splits in proportion and gives leftover units to the largest remainders', () => {
    expect(apportion(10n, [1n, 1n, 1n])).toEqual([4n, 3n, 3n]);
    expect(apportion(100n, [50n, 30n, 20n])).toEqual([50n, 30n, 20n]);
    expect(apportion(-10n, [1n, 1n, 1n])).toEqual([-4n, -3n, -3n]);
  });

  it('gives nothing to non-positive weights and returns null when none is positive', () => {
    expect(apportion(7n, [0n, -5n, 2n])).toEqual([0n, 0n, 7n]);
    expect(apportion(7n, [0n, -1n])).toBeNull();
  });

  it('always sums to the amount exactly', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
        fc.array(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), { minLength: 1, maxLength: 30 }),
        (amount, weights) => {
          const parts = apportion(amount, weights);
          if (parts === null) return weights.every((w) => w <= 0n);
          const sum = parts.reduce((a, b) => a + b, 0n);
          const total = weights.reduce((a, w) => a + (w > 0n ? w : 0n), 0n);
          // Each part is within one unit of its exact proportional share.
          const close = parts.every((p, i) => {
            const w = weights[i]! > 0n ? weights[i]! : 0n;
            const exact = amount * w;
            const diff = p * total - exact;
            return (diff < 0n ? -diff : diff) < total;
          });
          return sum === amount && close;
        },
      ),
    );
  });
});

describe('allocate', () => {
  const money = fc
    .tuple(fc.integer({ min: -2000, max: 200000 }), fc.integer({ min: 0, max: 999_999_999 }))
    .map(([whole, frac]) => `${whole}.${String(frac).padStart(9, '0')}`);
  const factArb = fc.record({
    workload: fc.constantFrom('a', 'b', 'c', UNALLOCATED),
    usageKind: fc.constantFrom('input', 'output', 'provisioned_hours', 'reserved_hours', 'other' as const),
    cost: money,
  });

  it('Σ line totals equals Σ fact cost exactly, in both modes', () => {
    fc.assert(
      fc.property(
        fc.array(factArb, { maxLength: 60 }),
        fc.constantFrom('leave', 'split' as const),
        (specs, mode) => {
          const facts = specs.map((s) => dfact(s));
          const allocation = allocate(facts, mode, 'unblended');
          const lines = [...allocation.lines.values()];
          const sum = lines.reduce((n, l) => n + l.total, 0n);
          const bill = facts.reduce((n, f) => n + f.costUnblended, 0n);
          const shares = lines.reduce((n, l) => n + l.unallocatedShare, 0n);
          return sum === bill && allocation.total === bill && shares === 0n;
        },
      ),
    );
  });
});
