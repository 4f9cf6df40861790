import { dayStartMs } from '../time/days.js';
import type { DailyFact } from './daily-fact.js';
import { USAGE_LINE_ITEM_TYPES } from './fact-filters.js';

/**
 * A lower bound on the newest usage hour in the data, for the completeness watermark when the caller has
 * nothing better: daily facts carry no hours, but usage dated D proves the data reaches at least D 00:00.
 * Only running usage counts (tax and monthly fees are dated at period edges, not when they were delivered),
 * and the result never passes `now`, so a mis-dated row cannot make a day final early.
 */
export function newestUsageHourOf(facts: readonly DailyFact[], now: Date): Date | null {
  let newest: string | null = null;
  for (const fact of facts) {
    if (!USAGE_LINE_ITEM_TYPES.has(fact.lineItemType)) continue;
    if (newest === null || fact.usageDate > newest) newest = fact.usageDate;
  }
  if (newest === null) return null;
  return new Date(Math.min(dayStartMs(newest), now.getTime()));
}

/**
 * The watermark the fact store records: the newest usage end over all stored snapshots (the current month's
 * delivery holds the newest; a restated earlier month never moves it back). Null when no snapshot says.
 */
export function newestUsageEndOf(snapshots: readonly { newestUsageEnd: string | null }[]): Date | null {
  let newest: number | null = null;
  for (const s of snapshots) {
    if (s.newestUsageEnd === null) continue;
    const ms = Date.parse(s.newestUsageEnd);
    if (Number.isNaN(ms)) continue;
    if (newest === null || ms > newest) newest = ms;
  }
  return newest === null ? null : new Date(newest);
}
