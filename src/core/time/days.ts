/** Day keys are `YYYY-MM-DD` strings in UTC; arithmetic goes through epoch milliseconds, never local time. */

const DAY_MS = 86_400_000;
const DAY_KEY = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar day as `YYYY-MM-DD` (`2026-02-30` and `2026-13-01` are not: Date would roll them over). */
export function isDayKey(value: string): boolean {
  if (!DAY_KEY.test(value)) return false;
  const ms = dayStartMs(value);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** Epoch milliseconds of 00:00 UTC on `day`. */
export function dayStartMs(day: string): number {
  return Date.parse(`${day}T00:00:00Z`);
}

// Rules walk the same few hundred days through many windows; day arithmetic through Date is the hot path,
// so results are memoised (pure: the same input always gives the same day).
const shiftedDays = new Map<string, string>();
const windows = new Map<string, readonly string[]>();

export function addDays(day: string, days: number): string {
  const key = `${day}|${days}`;
  let shifted = shiftedDays.get(key);
  if (shifted === undefined) {
    shifted = new Date(dayStartMs(day) + days * DAY_MS).toISOString().slice(0, 10);
    if (shiftedDays.size > 100_000) shiftedDays.clear();
    shiftedDays.set(key, shifted);
  }
  return shifted;
}

/** The `count` days before `day`, oldest first (`day` itself excluded). */
export function daysBefore(day: string, count: number): readonly string[] {
  const key = `${day}|${count}`;
  let out = windows.get(key);
  if (out === undefined) {
    const days: string[] = [];
    for (let back = count; back >= 1; back -= 1) days.push(addDays(day, -back));
    out = days;
    if (windows.size > 20_000) windows.clear();
    windows.set(key, out);
  }
  return out;
}

/** Every day from `first` to `last`, both included; empty when `first` is after `last`. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) out.push(day);
  return out;
}
