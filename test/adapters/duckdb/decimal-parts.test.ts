import { describe, expect, it } from 'vitest';
import { splitScaled128 } from '../../../src/adapters/duckdb/decimal-parts.js';

const UNITS = 10n ** 15n;

/** The exact split by BigInt: floor division and a non-negative remainder. */
function expected(v: bigint): [number, number] {
  let whole = v / UNITS;
  let rest = v - whole * UNITS;
  if (rest < 0n) {
    whole -= 1n;
    rest += UNITS;
  }
  return [Number(whole), Number(rest)];
}

function split(v: bigint): [number, number] {
  const view = new DataView(new ArrayBuffer(16));
  view.setBigUint64(0, BigInt.asUintN(64, v), true);
  view.setBigInt64(8, BigInt.asIntN(64, v >> 64n), true);
  const out = new Float64Array(2);
  splitScaled128(view, 0, out);
  return [out[0]!, out[1]!];
}

describe('splitScaled128', () => {
  it('splits raw DECIMAL(38,15) integers into whole units and 10^-15 units exactly', () => {
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
      (2n ** 52n - 1n) * UNITS + (UNITS - 1n),
      -((2n ** 52n - 1n) * UNITS),
    ];
    for (const v of edges) expect(split(v), String(v)).toEqual(expected(v));
  });

  it('agrees with BigInt division on random values of every magnitude', () => {
    let seed = 12345n;
    const next = () => {
      seed = (seed * 6364136223846793005n + 1442695040888963407n) % 2n ** 64n;
      return seed;
    };
    for (let i = 0; i < 5000; i++) {
      const bits = BigInt(1 + (i % 100));
      let v = ((next() << 64n) | next()) % 2n ** bits;
      if (i % 2 === 1) v = -v;
      expect(split(v), String(v)).toEqual(expected(v));
    }
  });

  it('refuses a whole part beyond 2^53', () => {
    expect(() => split(2n ** 60n * UNITS)).toThrow(RangeError);
  });
});
