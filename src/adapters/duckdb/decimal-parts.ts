import { DuckDBDecimal128Vector, type DuckDBVector } from '@duckdb/node-api';
import { MONEY_SCALE } from '../../core/money.js';

/**
 * Money read from DuckDB without a BigInt per value: a DECIMAL(38,15) result column's raw 128-bit integers
 * (units of 10^-15) split into whole units and the remaining 10^-15 units, two doubles that are both exact
 * integers (the form SeriesGrid keeps money in). DuckDB's own DECIMAL(38) floor/modulo cost microseconds per
 * value (measured: 1.8 s for 289k values), and a BigInt per value is what made reading series slow.
 */

const UNITS = 10 ** MONEY_SCALE;
/** 10^15 = 5^15 · 2^15; a remainder below 5^15 times 2^16 stays below 2^53, so long division is exact. */
const FIVE_POWER = 5 ** MONEY_SCALE;
const TWO_POWER = 2 ** MONEY_SCALE;
const TWO_32 = 4294967296;
const TWO_52 = 2 ** 52;

/**
 * floor(v / 10^15) into out[0] and v − 10^15 · out[0] (0 ≤ out[1] < 10^15) into out[1], for the little-endian
 * signed 128-bit integer v at `offset`. Throws when the whole part is beyond 2^53 (nine quadrillion dollars).
 */
export function splitScaled128(view: DataView, offset: number, out: Float64Array): void {
  let w0 = view.getUint32(offset, true);
  let w1 = view.getUint32(offset + 4, true);
  let w2 = view.getUint32(offset + 8, true);
  let w3 = view.getUint32(offset + 12, true);
  const negative = w3 >= 0x80000000;
  if (negative) {
    // Two's complement: the magnitude is ~v + 1.
    w0 = ~w0 >>> 0;
    w1 = ~w1 >>> 0;
    w2 = ~w2 >>> 0;
    w3 = ~w3 >>> 0;
    w0 += 1;
    if (w0 === TWO_32) {
      w0 = 0;
      w1 += 1;
      if (w1 === TWO_32) {
        w1 = 0;
        w2 += 1;
        if (w2 === TWO_32) {
          w2 = 0;
          w3 = (w3 + 1) >>> 0;
        }
      }
    }
  }
  let whole: number;
  let rest: number;
  if (w3 === 0 && w2 === 0 && w1 < 0x200000) {
    // Below 2^53: plain doubles, the quotient's rounding corrected.
    const v = w1 * TWO_32 + w0;
    whole = Math.floor(v / UNITS);
    rest = v - whole * UNITS;
    if (rest < 0) {
      whole -= 1;
      rest += UNITS;
    } else if (rest >= UNITS) {
      whole += 1;
      rest -= UNITS;
    }
  } else {
    // v = q1 · 5^15 + r1 by long division over 16-bit limbs; q1 = q2 · 2^15 + b; so v = q2 · 10^15 + (b · 5^15 + r1).
    let high = 0; // q1 without its lowest limb
    let low = 0; // q1's lowest limb
    let remainder = 0;
    const words = [w3, w2, w1, w0];
    for (let i = 0; i < 8; i++) {
      const word = words[i >> 1]!;
      const limb = i % 2 === 0 ? word >>> 16 : word & 0xffff;
      const current = remainder * 65536 + limb;
      let digit = Math.floor(current / FIVE_POWER);
      remainder = current - digit * FIVE_POWER;
      if (remainder < 0) {
        digit -= 1;
        remainder += FIVE_POWER;
      }
      if (i < 7) high = high * 65536 + digit;
      else low = digit;
    }
    if (high >= TWO_52) throw new RangeError('money value beyond 2^53 whole units');
    whole = high * 2 + Math.floor(low / TWO_POWER);
    rest = (low % TWO_POWER) * FIVE_POWER + remainder;
  }
  if (negative && (whole !== 0 || rest !== 0)) {
    if (rest === 0) whole = -whole;
    else {
      whole = -whole - 1;
      rest = UNITS - rest;
    }
  }
  out[0] = whole;
  out[1] = rest;
}

/** Reads a DECIMAL(38,15) result column's values as [whole, rest] parts (see splitScaled128). */
export interface MoneyPartsReader {
  /** Writes row r's parts into out; a NULL reads as zero. */
  read(r: number, out: Float64Array): void;
}

/** A DECIMAL(38, MONEY_SCALE) column's parts reader; throws on any other column type. */
export function moneyParts(vector: DuckDBVector): MoneyPartsReader {
  if (!(vector instanceof DuckDBDecimal128Vector) || vector.type.scale !== MONEY_SCALE) {
    throw new Error(`expected a DECIMAL(38, ${MONEY_SCALE}) column, got ${vector.type.toString()}`);
  }
  // The client keeps the column's raw buffer in a DataView and its validity mask beside it: read them directly
  // when they are there, else (another client version) go through its BigInt accessor.
  const raw = vector as unknown as { dataView?: unknown; validity?: { itemValid?: unknown } };
  const view = raw.dataView;
  const validity = raw.validity;
  if (
    view instanceof DataView &&
    view.byteLength >= vector.itemCount * 16 &&
    validity &&
    typeof validity.itemValid === 'function'
  ) {
    const itemValid = validity.itemValid.bind(validity) as (r: number) => boolean;
    return {
      read(r, out) {
        if (!itemValid(r)) {
          out[0] = 0;
          out[1] = 0;
          return;
        }
        splitScaled128(view, r * 16, out);
      },
    };
  }
  const scale = BigInt(UNITS);
  return {
    read(r, out) {
      const v = vector.getScaledValue(r) ?? 0n;
      let whole = v / scale;
      let rest = v - whole * scale;
      if (rest < 0n) {
        whole -= 1n;
        rest += scale;
      }
      out[0] = Number(whole);
      out[1] = Number(rest);
    },
  };
}
