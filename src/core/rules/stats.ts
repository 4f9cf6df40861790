import { type Money, moneyToNumber, parseMoney, ZERO } from '../money.js';

/** Threshold ratios from config are compared in fixed point so money never goes through a float. */
const RATIO_SCALE = 1_000_000;

/** a ≥ ratio × b, exactly (ratio to 6 decimals). */
export function atLeastTimes(a: Money, b: Money, ratio: number): boolean {
  return a * BigInt(RATIO_SCALE) >= b * BigInt(Math.round(ratio * RATIO_SCALE));
}

/**
 * a < ratio × b for certain, judged on lossy dollar values (a grid's `approxAt`): a margin far above the doubles'
 * rounding (relative 10^-15) and the ratio rounded as `atLeastTimes` rounds it, so `true` means `atLeastTimes`
 * on the exact values is false. A screen that spares most comparisons their BigInts; `false` decides nothing.
 */
export function surelyBelowTimes(a: number, b: number, ratio: number): boolean {
  // Only over a positive b: the margin shrinks b's side, which is "below" only for b > 0.
  return b > 0 && a < b * (Math.round(ratio * RATIO_SCALE) / RATIO_SCALE) * (1 - 1e-9);
}

/** `value × factor` for estimated figures (never for sums that must reconcile). */
export function scaleMoney(value: Money, factor: number): Money {
  if (!Number.isFinite(factor)) return ZERO;
  return ((value * BigInt(Math.round(factor * 1e9))) / 1_000_000_000n) as Money;
}

/** An estimate computed in floating point, brought back to Money at micro-dollar precision. */
export function moneyFromEstimate(dollars: number): Money {
  if (!Number.isFinite(dollars)) return ZERO;
  return parseMoney(dollars.toFixed(6));
}

/** a ÷ b for display, or null when b is zero. */
export function moneyRatio(a: Money, b: Money): number | null {
  if (b === 0n) return null;
  return moneyToNumber(a) / moneyToNumber(b);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  // A typed array sorts numerically without a comparator call per pair: rules take millions of medians.
  if (values.length > INSERTION_SORT_MAX) return medianInPlace(Float64Array.from(values), values.length);
  if (scratch.length < values.length) scratch = new Float64Array(INSERTION_SORT_MAX);
  for (let i = 0; i < values.length; i++) scratch[i] = values[i]!;
  return medianInPlace(scratch, values.length);
}

/** Up to this many values are sorted by insertion (no allocation, no call per pair); beyond, by the typed array. */
const INSERTION_SORT_MAX = 64;
let scratch = new Float64Array(0);

/** a sorts after b in a typed array's numeric order: −0 before +0, NaN last. */
function sortsAfter(a: number, b: number): boolean {
  if (a > b) return true;
  if (a < b) return false;
  if (Number.isNaN(a)) return !Number.isNaN(b);
  return a === 0 && b === 0 && 1 / a > 0 && 1 / b < 0;
}

/**
 * The median of values[0..n), which it sorts in place (in the typed array's numeric order): the same number as
 * `median` of those values, for loops that gather values into a reused buffer.
 */
export function medianInPlace(values: Float64Array, n: number): number {
  if (n === 0) return 0;
  if (n > INSERTION_SORT_MAX) values.subarray(0, n).sort();
  else {
    for (let i = 1; i < n; i++) {
      const x = values[i]!;
      let j = i - 1;
      while (j >= 0 && sortsAfter(values[j]!, x)) {
        values[j + 1] = values[j]!;
        j--;
      }
      values[j + 1] = x;
    }
  }
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
}

export function medianMoney(values: readonly Money[]): Money {
  if (values.length === 0) return ZERO;
  const sorted = [...values].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const mid = Math.floor(sorted.length / 2);
  return (sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2n) as Money;
}

export function maxMoney(a: Money, b: Money): Money {
  return a >= b ? a : b;
}
