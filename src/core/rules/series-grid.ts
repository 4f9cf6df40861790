import { MONEY_SCALE, type Money, ZERO } from '../money.js';
import { addDays, dayStartMs } from '../time/days.js';

const DAY_MS = 86_400_000;
/** Money's 10^-15 units per dollar, for lossy dollar values only. */
const UNITS_PER_DOLLAR = 10 ** MONEY_SCALE;
/** A money value V (in 10^-15 units) is kept as V = high · 2^48 + low, 0 ≤ low < 2^48. */
const LOW_BITS = 48n;
const LOW_BASE = 2 ** 48;
const LOW_MASK = 2n ** LOW_BITS - 1n;
/** The largest |high| a double holds exactly. */
const MAX_EXACT = 2n ** 53n;

/**
 * Daily series of one grain (a workload, a workload × model…): series keys × the days of a window, each measure
 * one column. Dense and typed, so a year of thousands of series costs a few bytes per value instead of an object
 * per fact. Money is exact: each value is kept as two doubles (see addMoneyParts) that
 * are both integers below 2^53. A day a series has no rows on reads as absent (`has` false) with zero measures.
 */
export class SeriesGrid<N extends string = string, M extends string = string> {
  /** Series keys, sorted: rules walk them in this order so findings come out the same on every run. */
  readonly keys: readonly string[];
  readonly firstDay: string;
  readonly dayCount: number;
  private readonly firstMs: number;
  private readonly keyIndex: Map<string, number>;
  private readonly present: Uint8Array;
  private readonly numbers: Record<N, Float64Array>;
  private readonly highs: Record<M, Float64Array>;
  private readonly lows: Record<M, Float64Array>;
  private readonly dayKeys: string[] = [];

  constructor(input: {
    keys: Iterable<string>;
    firstDay: string;
    dayCount: number;
    numbers: readonly N[];
    money: readonly M[];
  }) {
    this.keys = [...new Set(input.keys)].sort();
    this.keyIndex = new Map(this.keys.map((k, i) => [k, i]));
    this.firstDay = input.firstDay;
    this.firstMs = dayStartMs(input.firstDay);
    this.dayCount = Math.max(0, input.dayCount);
    const size = this.keys.length * this.dayCount;
    this.present = new Uint8Array(size);
    const columns = <K extends string>(names: readonly K[]) =>
      Object.fromEntries(names.map((n) => [n, new Float64Array(size)])) as Record<K, Float64Array>;
    this.numbers = columns(input.numbers);
    this.highs = columns(input.money);
    this.lows = columns(input.money);
  }

  /** Position of a day in the window, or -1 outside it. */
  dayIndex(day: string): number {
    const index = (dayStartMs(day) - this.firstMs) / DAY_MS;
    return Number.isInteger(index) && index >= 0 && index < this.dayCount ? index : -1;
  }

  /** Slot of (key, day), or -1 when the key is unknown or the day outside the window. */
  slot(key: string, day: string): number {
    const k = this.keyIndex.get(key);
    if (k === undefined) return -1;
    const d = this.dayIndex(day);
    return d < 0 ? -1 : k * this.dayCount + d;
  }

  /** The day at a position of the window. */
  dayAt(index: number): string {
    let day = this.dayKeys[index];
    if (day === undefined) {
      day = addDays(this.firstDay, index);
      this.dayKeys[index] = day;
    }
    return day;
  }

  indexOfKey(key: string): number {
    return this.keyIndex.get(key) ?? -1;
  }

  hasAt(slot: number): boolean {
    return this.present[slot] === 1;
  }

  numberAt(name: N, slot: number): number {
    return this.numbers[name][slot]!;
  }

  slotOf(keyIndex: number, dayIndex: number): number {
    return keyIndex * this.dayCount + dayIndex;
  }

  /** The series had at least one row on the day. */
  has(key: string, day: string): boolean {
    const s = this.slot(key, day);
    return s >= 0 && this.present[s] === 1;
  }

  number(name: N, key: string, day: string): number {
    const s = this.slot(key, day);
    return s < 0 ? 0 : this.numbers[name][s]!;
  }

  money(name: M, key: string, day: string): Money {
    const s = this.slot(key, day);
    return s < 0 ? ZERO : this.moneyAt(name, s);
  }

  moneyAt(name: M, slot: number): Money {
    return ((BigInt(this.highs[name][slot]!) << LOW_BITS) + BigInt(this.lows[name][slot]!)) as Money;
  }

  /** Money > 0 on a slot, exactly, without a BigInt. */
  positiveAt(name: M, slot: number): boolean {
    const high = this.highs[name][slot]!;
    return high > 0 || (high === 0 && this.lows[name][slot]! > 0);
  }

  /** A slot's money as lossy dollars (relative error below 10^-15): for screens before an exact test, never a figure. */
  approxAt(name: M, slot: number): number {
    return (this.highs[name][slot]! * LOW_BASE + this.lows[name][slot]!) / UNITS_PER_DOLLAR;
  }

  // ─── building ────────────────────────────────────────────────────────────────────────────────────

  /** Marks (key, day) as having rows; returns its slot (throws outside the grid: a builder bug). */
  touch(key: string, day: string): number {
    const s = this.slot(key, day);
    if (s < 0) throw new RangeError(`series ${JSON.stringify(key)} on ${day} is outside the grid`);
    this.present[s] = 1;
    return s;
  }

  /** Marks a slot as having rows (builders that already know the slot). */
  mark(slot: number): void {
    this.present[slot] = 1;
  }

  addNumber(name: N, slot: number, value: number): void {
    this.numbers[name][slot]! += value;
  }

  addMoney(name: M, slot: number, value: Money): void {
    if (value !== 0n) this.setMoney(name, slot, (this.moneyAt(name, slot) + value) as Money);
  }

  /**
   * A number measure's column, slot-indexed: for builders that fill many slots, and for rules that read a measure
   * on every slot (a typed-array read instead of a lookup by name per slot).
   */
  numberColumn(name: N): Float64Array {
    return this.numbers[name];
  }

  /** A money measure's high and low columns (see addMoneyParts), for builders. */
  moneyColumns(name: M): MoneyColumns {
    return { highs: this.highs[name], lows: this.lows[name] };
  }

  /**
   * "The slot's money is at least `threshold`", compared exactly on the grid's own parts: no BigInt per slot, for
   * the tests rules make on every series-day before anything dearer.
   */
  atLeast(name: M, threshold: Money): (slot: number) => boolean {
    const high = threshold >> LOW_BITS;
    if (high > MAX_EXACT || high < -MAX_EXACT) return (slot) => this.moneyAt(name, slot) >= threshold;
    const h = Number(high);
    const l = Number(threshold & LOW_MASK);
    const highs = this.highs[name];
    const lows = this.lows[name];
    return (slot) => highs[slot]! > h || (highs[slot] === h && lows[slot]! >= l);
  }

  setMoney(name: M, slot: number, value: Money): void {
    const high = value >> LOW_BITS;
    if (high > MAX_EXACT || high < -MAX_EXACT)
      throw new RangeError(`money ${value} beyond a series grid's range`);
    this.highs[name][slot] = Number(high);
    this.lows[name][slot] = Number(value & LOW_MASK);
  }
}

/** A money measure's columns: value = high · 2^48 + low in 10^-15 units, 0 ≤ low < 2^48, both exact doubles. */
export interface MoneyColumns {
  highs: Float64Array;
  lows: Float64Array;
}

/**
 * Adds a money value in a grid's own exact form (V = high · 2^48 + low in 10^-15 units, high floored, so
 * 0 ≤ low < 2^48; the form a raw 128-bit DECIMAL splits into by bit operations alone) into a slot of a money
 * measure's columns: exact without a BigInt while |high| stays below 2^53 (beyond 10^15 dollars).
 */
export function addMoneyParts(columns: MoneyColumns, slot: number, high: number, low: number): void {
  let l = columns.lows[slot]! + low;
  let h = columns.highs[slot]! + high;
  if (l >= LOW_BASE) {
    l -= LOW_BASE;
    h += 1;
  }
  columns.highs[slot] = h;
  columns.lows[slot] = l;
}
