import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { decimalWords, splitRawWords } from '../../../src/adapters/duckdb/decimal-parts.js';
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

/** The split of v's little-endian 128-bit form, read as 32-bit words (this machine is little-endian). */
function split(v: bigint): [number, number] {
  const view = new DataView(new ArrayBuffer(16));
  view.setBigUint64(0, BigInt.asUintN(64, v), true);
  view.setBigInt64(8, BigInt.asIntN(64, v >> 64n), true);
  const out = new Float64Array(2);
  splitRawWords(new Uint32Array(view.buffer), 0, out);
  return [out[0]!, out[1]!];
}

describe('splitRawWords', () => {
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
      splitRawWords(new Uint32Array(view.buffer), 0, out);
      addMoneyParts(columns, 0, out[0]!, out[1]!);
    }
    expect(grid.moneyAt('m', 0)).toBe(sum);
  });
});

describe('decimalWords', () => {
  it("reads a DECIMAL(38,15) column's words in place, and the same words through the client's accessor", async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const values = [
        '0',
        '1.000000000000001',
        '-0.000000000000001',
        '123456789.123456789012345',
        '-98765.5',
        '0',
      ];
      const result = await connection.run(
        `SELECT CAST(v AS DECIMAL(38, 15)) AS m FROM (VALUES ${values.map((v) => `('${v}')`).join(', ')}) t(v)`,
      );
      const chunk = (await result.fetchChunk())!;
      const vector = chunk.getColumnVector(0);
      const inPlace = decimalWords(vector, chunk.rowCount);
      // A client whose buffer is not a DataView here: the words come from its BigInt accessor.
      const real = (vector as unknown as { dataView: DataView }).dataView;
      const opaque = {
        getBigUint64: (offset: number, little: boolean) => real.getBigUint64(offset, little),
        getBigInt64: (offset: number, little: boolean) => real.getBigInt64(offset, little),
      };
      Object.defineProperty(vector, 'dataView', { value: opaque });
      const copied = decimalWords(vector, chunk.rowCount);
      expect([...copied]).toEqual([...inPlace]);
      const out = new Float64Array(2);
      const read = values.map((_, r) => {
        splitRawWords(copied, r * 4, out);
        return (BigInt(out[0]!) << 48n) + BigInt(out[1]!);
      });
      // The exact value in 10^-15 units, from the decimal text.
      const units = (text: string) => {
        const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
        const magnitude = BigInt(whole) * UNITS + BigInt(fraction.padEnd(15, '0'));
        return text.startsWith('-') ? -magnitude : magnitude;
      };
      expect(read).toEqual(values.map(units));
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
