import type { DuckDBVector } from '@duckdb/node-api';
import { MONEY_SCALE } from '../../core/money.js';
import { DuckDBDecimal128Vector } from './node-api.js';

/**
 * Money read from DuckDB without a BigInt per value: a DECIMAL(38,15) result column's raw 128-bit integers
 * (units of 10^-15) split by bit operations alone into the two exact doubles a SeriesGrid keeps money in
 * (V = high · 2^48 + low, 0 ≤ low < 2^48; see core/rules/series-grid.ts addMoneyParts). DuckDB's own DECIMAL(38)
 * floor/modulo cost microseconds per value (measured: 1.8 s for 289k values), a BigInt per value is what made
 * reading series slow, and a split at 10^15 needs divisions: a split at a power of two needs none.
 */

const TWO_16 = 65536;
const TWO_32 = 4294967296;
const TWO_48 = 2 ** 48;

/**
 * floor(v / 2^48) into out[0] and v − 2^48 · out[0] (0 ≤ out[1] < 2^48) into out[1], for the signed 128-bit
 * integer v at `index` of `words` (its four 32-bit words, least significant first; see decimalWords). Throws when
 * |v| is beyond 2^100 units (10^15 dollars; out[0] would pass 2^53).
 */
export function splitRawWords(words: Uint32Array, index: number, out: Float64Array): void {
  const top = words[index + 3]! | 0;
  if (top < -16 || top > 15) throw new RangeError('money value beyond 2^100 units of 10^-15');
  const w1 = words[index + 1]!;
  out[0] = top * TWO_48 + words[index + 2]! * TWO_16 + (w1 >>> 16);
  out[1] = (w1 & 0xffff) * TWO_32 + words[index]!;
}

/** Whether this machine stores integers little-endian, as DuckDB's buffers are laid out for splitRawWords. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A non-NULL DECIMAL(38, MONEY_SCALE) column's values as 32-bit words, four per value, least significant first:
 * the vector's own buffer, read in place (far faster than through a DataView or the client's BigInt accessor),
 * or, where that view cannot be made (a big-endian host, an unaligned buffer, a client that does not expose its
 * buffer), the same words copied from the BigInt accessor (a NULL as zero). Throws on any other column type.
 */
export function decimalWords(vector: DuckDBVector, rowCount: number): Uint32Array {
  if (!(vector instanceof DuckDBDecimal128Vector) || vector.type.scale !== MONEY_SCALE) {
    throw new Error(`expected a DECIMAL(38, ${MONEY_SCALE}) column, got ${vector.type.toString()}`);
  }
  const view: unknown = (vector as unknown as { dataView?: unknown }).dataView;
  if (
    LITTLE_ENDIAN &&
    view instanceof DataView &&
    view.byteLength >= rowCount * 16 &&
    view.byteOffset % 4 === 0
  ) {
    return new Uint32Array(view.buffer, view.byteOffset, rowCount * 4);
  }
  const words = new Uint32Array(rowCount * 4);
  for (let r = 0; r < rowCount; r++) {
    const v = vector.getScaledValue(r) ?? 0n;
    for (let w = 0; w < 4; w++) words[r * 4 + w] = Number(BigInt.asUintN(32, v >> BigInt(32 * w)));
  }
  return words;
}
