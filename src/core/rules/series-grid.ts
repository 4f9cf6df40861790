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
  /**
   * Every measure of a slot side by side: the numbers, then each money measure's high and low (see
   * MeasureColumn). A builder writes a row of measures into a random slot (DuckDB returns groups in hash order),
   * which then touches one or two cache lines instead of one per number and two per money measure.
   */
  private readonly data: Float64Array;
  private readonly stride: number;
  private readonly numberOffset: Record<N, number>;
  private readonly moneyOffset: Record<M, number>;
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
    const numbers = input.numbers.length;
    this.stride = numbers + 2 * input.money.length;
    this.data = new Float64Array(size * this.stride);
    this.numberOffset = Object.fromEntries(input.numbers.map((n, i) => [n, i])) as Record<N, number>;
    this.moneyOffset = Object.fromEntries(input.money.map((n, i) => [n, numbers + 2 * i])) as Record<
      M,
      number
    >;
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
    return this.data[this.numberIndex(name, slot)]!;
  }

  /** A number measure's reader, for rules that read it on every slot (no lookup by name per slot). */
  numberReader(name: N): (slot: number) => number {
    const { data, stride, offset } = this.numberColumn(name);
    return (slot) => data[slot * stride + offset]!;
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
    return s < 0 ? 0 : this.numberAt(name, s);
  }

  money(name: M, key: string, day: string): Money {
    const s = this.slot(key, day);
    return s < 0 ? ZERO : this.moneyAt(name, s);
  }

  moneyAt(name: M, slot: number): Money {
    const i = this.moneyIndex(name, slot);
    return ((BigInt(this.data[i]!) << LOW_BITS) + BigInt(this.data[i + 1]!)) as Money;
  }

  /** Money > 0 on a slot, exactly, without a BigInt. */
  positiveAt(name: M, slot: number): boolean {
    const i = this.moneyIndex(name, slot);
    const high = this.data[i]!;
    return high > 0 || (high === 0 && this.data[i + 1]! > 0);
  }

  /** A slot's money as lossy dollars (relative error below 10^-15): for screens before an exact test, never a figure. */
  approxAt(name: M, slot: number): number {
    const i = this.moneyIndex(name, slot);
    return (this.data[i]! * LOW_BASE + this.data[i + 1]!) / UNITS_PER_DOLLAR;
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
    this.data[this.numberIndex(name, slot)]! += value;
  }

  addMoney(name: M, slot: number, value: Money): void {
    if (value !== 0n) this.setMoney(name, slot, (this.moneyAt(name, slot) + value) as Money);
  }

  /** Where a number measure lives in the grid's data, for builders that fill many slots. */
  numberColumn(name: N): MeasureColumn {
    return { data: this.data, stride: this.stride, offset: this.numberIndex(name, 0) };
  }

  /** Where a money measure's high and low live (see addMoneyParts), for builders. */
  moneyColumns(name: M): MeasureColumn {
    return { data: this.data, stride: this.stride, offset: this.moneyIndex(name, 0) };
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
    const { data, stride, offset } = this.moneyColumns(name);
    return (slot) => {
      const i = slot * stride + offset;
      return data[i]! > h || (data[i] === h && data[i + 1]! >= l);
    };
  }

  setMoney(name: M, slot: number, value: Money): void {
    const high = value >> LOW_BITS;
    if (high > MAX_EXACT || high < -MAX_EXACT)
      throw new RangeError(`money ${value} beyond a series grid's range`);
    const i = this.moneyIndex(name, slot);
    this.data[i] = Number(high);
    this.data[i + 1] = Number(value & LOW_MASK);
  }

  /** Where a slot's number measure is in the data. */
  private numberIndex(name: N, slot: number): number {
    return slot * this.stride + offsetOf(this.numberOffset, name, 'number');
  }

  /** Where a slot's money measure starts in the data (its high; its low follows). */
  private moneyIndex(name: M, slot: number): number {
    return slot * this.stride + offsetOf(this.moneyOffset, name, 'money');
  }
}

function offsetOf<K extends string>(offsets: Record<K, number>, name: K, kind: string): number {
  const offset = offsets[name];
  if (offset === undefined) throw new RangeError(`no ${kind} measure ${JSON.stringify(name)} in this grid`);
  return offset;
}

/**
 * Where a measure lives in a grid's data: a slot's value at slot · stride + offset. A money measure is two
 * values there, high then low: value = high · 2^48 + low in 10^-15 units, 0 ≤ low < 2^48, both exact doubles.
 */
export interface MeasureColumn {
  data: Float64Array;
  stride: number;
  offset: number;
}

/**
 * Adds a money value in a grid's own exact form (V = high · 2^48 + low in 10^-15 units, high floored, so
 * 0 ≤ low < 2^48; the form a raw 128-bit DECIMAL splits into by bit operations alone) into a slot of a money
 * measure's columns: exact without a BigInt while |high| stays below 2^53 (beyond 10^15 dollars).
 */
export function addMoneyParts(columns: MeasureColumn, slot: number, high: number, low: number): void {
  const i = slot * columns.stride + columns.offset;
  let l = columns.data[i + 1]! + low;
  let h = columns.data[i]! + high;
  if (l >= LOW_BASE) {
    l -= LOW_BASE;
    h += 1;
  }
  columns.data[i] = h;
  columns.data[i + 1] = l;
}
