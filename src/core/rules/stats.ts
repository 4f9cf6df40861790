import { type Money, moneyToNumber, parseMoney, ZERO } from '../money.js';

/** Threshold ratios from config are compared in fixed point so money never goes through a float. */
const RATIO_SCALE = 1_000_000;

/** a ≥ ratio × b, exactly (ratio to 6 decimals). */
export function atLeastTimes(a: Money, b: Money, ratio: number): boolean {
  return a * BigInt(RATIO_SCALE) >= b * BigInt(Math.round(ratio * RATIO_SCALE));
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
  const sorted = Float64Array.from(values).sort();
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
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
