import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Money } from '../../../../src/core/money.js';
import { SeriesGrid } from '../../../../src/core/rules/series-grid.js';
import { atLeastTimes, surelyBelowTimes } from '../../../../src/core/rules/stats.js';

/** Money in 10^-15 units: cents to millions of dollars with every digit used, and their negatives. */
const money = fc
  .bigInt({ min: -(10n ** 21n), max: 10n ** 21n })
  .chain((v) => fc.constantFrom(v, v / 10n ** 9n, v / 10n ** 13n, 0n, 1n, -1n))
  .map((v) => v as Money);

function gridOf(values: readonly Money[]): SeriesGrid<never, 'm'> {
  const grid = new SeriesGrid<never, 'm'>({
    keys: ['k'],
    firstDay: '2025-01-01',
    dayCount: values.length,
    numbers: [],
    money: ['m'],
  });
  values.forEach((v, slot) => {
    grid.setMoney('m', slot, v);
  });
  return grid;
}

describe('SeriesGrid money without BigInts', () => {
  it('keeps money exactly and answers positive, at-least and approximate reads as the exact values do', () => {
    fc.assert(
      fc.property(money, money, (value, threshold) => {
        const grid = gridOf([value]);
        expect(grid.moneyAt('m', 0)).toBe(value);
        expect(grid.positiveAt('m', 0)).toBe(value > 0n);
        expect(grid.atLeast('m', threshold)(0)).toBe(value >= threshold);
        const dollars = Number(value) / 1e15;
        expect(Math.abs(grid.approxAt('m', 0) - dollars)).toBeLessThanOrEqual(Math.abs(dollars) * 1e-15);
      }),
      { numRuns: 2000 },
    );
  });

  it('decides at-least at the edges of a threshold', () => {
    const threshold = 10_000_000_000_000_000n as Money; // $10
    const grid = gridOf([threshold - 1n, threshold, threshold + 1n] as Money[]);
    const atLeast = grid.atLeast('m', threshold);
    expect([0, 1, 2].map(atLeast)).toEqual([false, true, true]);
  });
});

describe('surelyBelowTimes', () => {
  it('is true only where the exact atLeastTimes is false', () => {
    const ratio = fc.constantFrom(1.5, 2, 3, 3.0000004, 2.9999996, 10);
    fc.assert(
      fc.property(money, money, ratio, (a, b, r) => {
        const grid = gridOf([a, b]);
        if (surelyBelowTimes(grid.approxAt('m', 0), grid.approxAt('m', 1), r)) {
          expect(atLeastTimes(a, b, r)).toBe(false);
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('is never true a few units of 10^-15 from the exact edge (a relative margin, far wider than that)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 10n ** 12n, max: 10n ** 21n }),
        fc.bigInt({ min: -5n, max: 5n }),
        (b, delta) => {
          const a = (b * 3n + delta) as Money;
          const grid = gridOf([a, b as Money]);
          expect(surelyBelowTimes(grid.approxAt('m', 0), grid.approxAt('m', 1), 3)).toBe(false);
          expect(atLeastTimes(a, b as Money, 3)).toBe(delta >= 0n);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('screens out the ordinary day: well below the ratio, and not at its edge', () => {
    const dollars = (d: number) => BigInt(Math.round(d * 1e6)) * 10n ** 9n;
    const grid = gridOf([dollars(100), dollars(40), dollars(120), dollars(40)] as Money[]);
    expect(surelyBelowTimes(grid.approxAt('m', 0), grid.approxAt('m', 1), 3)).toBe(true);
    expect(surelyBelowTimes(grid.approxAt('m', 2), grid.approxAt('m', 3), 3)).toBe(false);
    expect(atLeastTimes(dollars(120) as Money, dollars(40) as Money, 3)).toBe(true);
  });
});
