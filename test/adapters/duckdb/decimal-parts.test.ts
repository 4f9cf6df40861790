import { describe, expect, it } from 'vitest';
import { splitRaw128, splitRawWords } from '../../../src/adapters/duckdb/decimal-parts.js';
import { addMoneyParts, SeriesGrid } from '../../../src/core/rules/series-grid.js';

const UNITS = 10n ** 15n;
const LOW = 2n ** 48n;

/** The exact split by BigInt: floor division by 2^48 and a non-negative remainder. */
function expected(v: bigint): [number, number] {
  let high = v / LOW;
  let low = v - high * LOW;
  if (low < 0n) {
    high -= 1n;
    low += LOW;
  }
  return [Number(high), Number(low)];
}

/** The split through a DataView and through the buffer's native 32-bit words; both must agree. */
function split(v: bigint): [number, number] {
  const view = new DataView(new ArrayBuffer(16));
  view.setBigUint64(0, BigInt.asUintN(64, v), true);
  view.setBigInt64(8, BigInt.asIntN(64, v >> 64n), true);
  const out = new Float64Array(2);
  splitRaw128(view, 0, out);
  const fromWords = new Float64Array(2);
  splitRawWords(new Uint32Array(view.buffer), 0, fromWords);
  expect([...fromWords]).toEqual([...out]);
  return [out[0]!, out[1]!];
}

describe('splitRaw128', () => {
  it('splits raw DECIMAL(38,15) integers into high and low parts at 2^48 exactly', () => {
    const edges = [
      0n,
      1n,
      -1n,
      UNITS - 1n,
      UNITS,
      UNITS + 1n,
      -UNITS,
      -UNITS - 1n,
      -UNITS + 1n,
      2n ** 53n - 1n,
      2n ** 53n,
      2n ** 53n + 1n,
      -(2n ** 53n),
      2n ** 64n - 1n,
      2n ** 64n,
      -(2n ** 64n) - 7n,
      123_456_789n * UNITS + 987_654_321_012_345n,
      -(123_456_789n * UNITS + 987_654_321_012_345n),
      (2n ** 40n - 1n) * UNITS + (UNITS - 1n),
      -((2n ** 40n - 1n) * UNITS),
      // Around the split and the words it is made of, and the range's ends.
      LOW - 1n,
      LOW,
      -LOW,
      -LOW - 1n,
      2n ** 96n - 1n,
      2n ** 96n,
      -(2n ** 96n),
      2n ** 100n - 1n,
      -(2n ** 100n),
    ];
    for (const v of edges) expect(split(v), String(v)).toEqual(expected(v));
  });

  it('agrees with BigInt division on random values of every magnitude', () => {
    let seed = 12345n;
    const next = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed;
    };
    for (let i = 0; i < 20000; i++) {
      const bits = BigInt(1 + (i % 100));
      let v = ((next() << 64n) | next()) % 2n ** bits;
      if (i % 2 === 1) v = -v;
      expect(split(v), String(v)).toEqual(expected(v));
    }
  });

  it('refuses values beyond 2^100 units (10^15 dollars)', () => {
    expect(() => split(2n ** 100n)).toThrow(RangeError);
    expect(() => split(-(2n ** 100n) - 1n)).toThrow(RangeError);
    expect(() => split(2n ** 60n * UNITS)).toThrow(RangeError);
  });

  it('parts added into a series grid read back as the exact sum', () => {
    let seed = 987654321n;
    const next = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed;
    };
    const grid = new SeriesGrid({
      keys: ['k'],
      firstDay: '2025-01-01',
      dayCount: 1,
      numbers: [],
      money: ['m'],
    });
    const columns = grid.moneyColumns('m');
    const out = new Float64Array(2);
    let sum = 0n;
    for (let i = 0; i < 2000; i++) {
      let v = ((next() << 64n) | next()) % 2n ** BigInt(1 + (i % 90));
      if (i % 3 === 0) v = -v;
      sum += v;
      const view = new DataView(new ArrayBuffer(16));
      view.setBigUint64(0, BigInt.asUintN(64, v), true);
      view.setBigInt64(8, BigInt.asIntN(64, v >> 64n), true);
      splitRaw128(view, 0, out);
      addMoneyParts(columns, 0, out[0]!, out[1]!);
    }
    expect(grid.moneyAt('m', 0)).toBe(sum);
  });
});
