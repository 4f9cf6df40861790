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
 * integer v given as its four 32-bit words, least significant first. Throws when |v| is beyond 2^100 units
 * (10^15 dollars; out[0] would pass 2^53).
 */
function splitWords(w0: number, w1: number, w2: number, w3: number, out: Float64Array): void {
  const top = w3 | 0;
  if (top < -16 || top > 15) throw new RangeError('money value beyond 2^100 units of 10^-15');
  out[0] = top * TWO_48 + w2 * TWO_16 + (w1 >>> 16);
  out[1] = (w1 & 0xffff) * TWO_32 + w0;
}

/** splitWords of the little-endian 128-bit integer at a byte offset of a DataView. */
export function splitRaw128(view: DataView, offset: number, out: Float64Array): void {
  splitWords(
    view.getUint32(offset, true),
    view.getUint32(offset + 4, true),
    view.getUint32(offset + 8, true),
    view.getUint32(offset + 12, true),
    out,
  );
}

/** splitWords of the 128-bit integer at a word index of a column's native words (see rawDecimalWords). */
export function splitRawWords(words: Uint32Array, index: number, out: Float64Array): void {
  splitWords(words[index]!, words[index + 1]!, words[index + 2]!, words[index + 3]!, out);
}

/** Whether this machine stores integers little-endian, as DuckDB's buffers are laid out for splitRawWords. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * A non-NULL DECIMAL(38, MONEY_SCALE) column's raw buffer (16 bytes per value, for splitRaw128), or null when
 * the client does not expose it (then `moneyParts` reads through its BigInt accessor).
 */
export function rawDecimalView(vector: DuckDBVector): DataView | null {
  if (!(vector instanceof DuckDBDecimal128Vector) || vector.type.scale !== MONEY_SCALE) {
    throw new Error(`expected a DECIMAL(38, ${MONEY_SCALE}) column, got ${vector.type.toString()}`);
  }
  const view: unknown = (vector as unknown as { dataView?: unknown }).dataView;
  return view instanceof DataView && view.byteLength >= vector.itemCount * 16 ? view : null;
}

/**
 * A non-NULL DECIMAL(38, MONEY_SCALE) column's raw buffer as 32-bit words (four per value, least significant
 * first, read far faster than through a DataView), or null where that view cannot be made (a big-endian host, an
 * unaligned buffer, a client that does not expose it): then `moneyParts` reads through the BigInt accessor.
 */
export function rawDecimalWords(vector: DuckDBVector): Uint32Array | null {
  const view = rawDecimalView(vector);
  if (!view || !LITTLE_ENDIAN || view.byteOffset % 4 !== 0) return null;
  return new Uint32Array(view.buffer, view.byteOffset, vector.itemCount * 4);
}

/** Reads a DECIMAL(38,15) result column's values as [high, low] parts (see splitRaw128). */
export interface MoneyPartsReader {
  /** Writes row r's parts into out; a NULL reads as zero. */
  read(r: number, out: Float64Array): void;
}

/** A DECIMAL(38, MONEY_SCALE) column's parts through the client's BigInt accessor (NULL as zero): the fallback. */
export function moneyParts(vector: DuckDBVector): MoneyPartsReader {
  if (!(vector instanceof DuckDBDecimal128Vector) || vector.type.scale !== MONEY_SCALE) {
    throw new Error(`expected a DECIMAL(38, ${MONEY_SCALE}) column, got ${vector.type.toString()}`);
  }
  return {
    read(r, out) {
      const v = vector.getScaledValue(r) ?? 0n;
      const high = v >> 48n;
      if (high >= 2n ** 53n || high < -(2n ** 53n))
        throw new RangeError('money value beyond 2^100 units of 10^-15');
      out[0] = Number(high);
      out[1] = Number(v & (2n ** 48n - 1n));
    },
  };
}
