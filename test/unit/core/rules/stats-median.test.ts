import { describe, expect, it } from 'vitest';
import { median, medianInPlace } from '../../../../src/core/rules/stats.js';

/** The reference: a typed array's own numeric sort, then the middle. */
function reference(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('median without allocation', () => {
  it('equals the typed-array sort median on random, tied, signed-zero and NaN inputs', () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const specials = [0, -0, Number.NaN, 1, -1, 0.5, Number.POSITIVE_INFINITY];
    for (let round = 0; round < 3000; round++) {
      const n = round % 90;
      const values = Array.from({ length: n }, () =>
        random() < 0.3 ? specials[Math.floor(random() * specials.length)]! : Math.round(random() * 20) / 4,
      );
      const expected = reference(values);
      expect(Object.is(median(values), expected), `median of ${values}`).toBe(true);
      const buffer = Float64Array.from(values);
      expect(Object.is(medianInPlace(buffer, n), expected), `medianInPlace of ${values}`).toBe(true);
    }
  });

  it('reads only the first n values of the buffer', () => {
    expect(medianInPlace(Float64Array.from([5, 1, 3, 100, 100]), 3)).toBe(3);
    expect(medianInPlace(Float64Array.from([4, 2, 100]), 2)).toBe(3);
    expect(medianInPlace(new Float64Array(4), 0)).toBe(0);
  });
});
