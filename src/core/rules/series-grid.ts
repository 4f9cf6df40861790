import { MONEY_SCALE, type Money, ZERO } from '../money.js';
import { addDays, dayStartMs } from '../time/days.js';

const DAY_MS = 86_400_000;
const SCALE = 10n ** BigInt(MONEY_SCALE);
const SCALE_NUMBER = 10 ** MONEY_SCALE;

/**
 * Daily series of one grain (a workload, a workload × model…): series keys × the days of a window, each measure
 * one column. Dense and typed, so a year of thousands of series costs a few bytes per value instead of an object
 * per fact. Money is exact: each value is kept as whole dollars and the remaining 10^-15 units, two doubles that
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
  private readonly wholes: Record<M, Float64Array>;
  private readonly fractions: Record<M, Float64Array>;
  private readonly moneyCache = new Map<M, Money[]>();
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
    this.wholes = columns(input.money);
    this.fractions = columns(input.money);
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
    const cached = this.moneyCache.get(name);
    if (cached) return cached[slot]!;
    return (BigInt(this.wholes[name][slot]!) * SCALE + BigInt(this.fractions[name][slot]!)) as Money;
  }

  /** Materialises one money column as exact values, for the hot loops that read every slot many times. */
  cacheMoney(name: M): void {
    if (this.moneyCache.has(name)) return;
    const out: Money[] = new Array(this.present.length);
    for (let s = 0; s < out.length; s++) {
      out[s] = (BigInt(this.wholes[name][s]!) * SCALE + BigInt(this.fractions[name][s]!)) as Money;
    }
    this.moneyCache.set(name, out);
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

  /** A number measure's column, slot-indexed, for builders that fill many slots. */
  numberColumn(name: N): Float64Array {
    return this.numbers[name];
  }

  /** A money measure's whole-unit and 10^-15-unit columns (see addMoneyParts), for builders. */
  moneyColumns(name: M): { wholes: Float64Array; fractions: Float64Array } {
    return { wholes: this.wholes[name], fractions: this.fractions[name] };
  }

  setMoney(name: M, slot: number, value: Money): void {
    let whole = value / SCALE;
    let fraction = value - whole * SCALE;
    if (fraction < 0n) {
      whole -= 1n;
      fraction += SCALE;
    }
    this.wholes[name][slot] = Number(whole);
    this.fractions[name][slot] = Number(fraction);
  }
}

/**
 * Adds a money value in a grid's own exact form (whole units, floored, and the remaining 10^-15 units,
 * 0 ≤ rest < 10^15, both integers below 2^53) into a slot of a money measure's columns: exact without a BigInt.
 */
export function addMoneyParts(
  columns: { wholes: Float64Array; fractions: Float64Array },
  slot: number,
  whole: number,
  rest: number,
): void {
  let f = columns.fractions[slot]! + rest;
  let w = columns.wholes[slot]! + whole;
  if (f >= SCALE_NUMBER) {
    f -= SCALE_NUMBER;
    w += 1;
  }
  columns.wholes[slot] = w;
  columns.fractions[slot] = f;
}
