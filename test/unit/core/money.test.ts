import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatMoney,
  formatUsd,
  type Money,
  moneyWithin,
  parseMoney,
  RECONCILIATION_TOLERANCE,
  sumMoney,
} from '../../../src/core/money.js';

describe('parseMoney / formatMoney', () => {
  it.each([
    ['0.1', '0.1'],
    ['12.5', '12.5'],
    ['-0.000001', '-0.000001'],
    ['8.85E-8', '0.0000000885'],
    ['1.8E-9', '0.0000000018'],
    ['1.5e3', '1500'],
    ['0.000000000000001', '0.000000000000001'],
    ['121.0', '121'],
    ['.5', '0.5'],
    ['+3', '3'],
    ['0.30000000000000004', '0.3'],
    ['1.0000000000000005', '1'],
    ['1.0000000000000015', '1.000000000000002'],
  ])('%s reads as %s', (input, expected) => {
    expect(formatMoney(parseMoney(input))).toBe(expected);
  });

  it.each(['', 'abc', '1,5', '--1', 'NaN', '1e'])('rejects "%s"', (input) => {
    expect(() => parseMoney(input)).toThrow(/not a decimal number/);
  });

  it('sums exactly where floating point drifts', () => {
    const values = Array.from({ length: 10 }, () => '0.1');
    expect(values.map(Number).reduce((a, b) => a + b, 0)).not.toBe(1);
    expect(formatMoney(sumMoney(values.map(parseMoney)))).toBe('1');
  });

  it('reads the fixed 15-decimal text SQL prints a DECIMAL(38,15) in', () => {
    expect(parseMoney('-1.500000000000000')).toBe(parseMoney('-1.5'));
    expect(parseMoney('0.000000000000001')).toBe(1n);
    expect(parseMoney('-0.000000000000010')).toBe(-10n);
  });

  it.each([
    ['1234.565', '$1,234.56'],
    ['1234.575', '$1,234.58'],
    ['-0.004', '$0.00'],
    ['-12.5', '-$12.50'],
  ])('formatUsd(%s) = %s (half-even cents)', (input, expected) => {
    expect(formatUsd(parseMoney(input))).toBe(expected);
  });

  it('round-trips any decimal with up to 15 fractional digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), (scaled) => {
        const value = scaled as Money;
        expect(parseMoney(formatMoney(value))).toBe(value);
        const abs = (value < 0n ? -value : value).toString().padStart(16, '0');
        const fixed = `${value < 0n ? '-' : ''}${abs.slice(0, -15)}.${abs.slice(-15)}`;
        expect(parseMoney(fixed)).toBe(value);
      }),
    );
  });

  it('sum is independent of order', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n })), (items) => {
        const money = items as Money[];
        expect(sumMoney([...money].reverse())).toBe(sumMoney(money));
      }),
    );
  });

  it('tolerance is one micro-dollar', () => {
    expect(moneyWithin(parseMoney('1.000001'), parseMoney('1'), RECONCILIATION_TOLERANCE)).toBe(true);
    expect(moneyWithin(parseMoney('1.0000011'), parseMoney('1'), RECONCILIATION_TOLERANCE)).toBe(false);
  });
});
