/**
 * Completeness watermark (DESIGN §3.5). CUR keeps restating the last day or two (tags and IAM principals lag
 * 24–48 h), so a day is final only once the snapshot holds usage at least `finalAfterHours` past the day's end.
 * Measured against the newest usage hour in the data, not the wall clock: a delivery that stalls for a week must
 * not make stale days look complete.
 */

export const DEFAULT_FINAL_AFTER_HOURS = 48;

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

function dayEndMs(day: string): number {
  const startMs = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(startMs) || !/^\d{4}-\d{2}-\d{2}$/.test(day))
    throw new RangeError(`not a day key: "${day}"`);
  return startMs + DAY_MS;
}

/** The instant from which `day` counts as final: its end (next day 00:00 UTC) plus `finalAfterHours`. */
export function dayFinalAt(day: string, finalAfterHours: number = DEFAULT_FINAL_AFTER_HOURS): Date {
  return new Date(dayEndMs(day) + finalAfterHours * HOUR_MS);
}

/** True when the newest usage hour in the snapshot has reached `dayFinalAt(day)`; never without data. */
export function isDayFinal(
  day: string,
  newestUsageHour: Date | null,
  finalAfterHours: number = DEFAULT_FINAL_AFTER_HOURS,
): boolean {
  if (newestUsageHour === null || Number.isNaN(newestUsageHour.getTime())) return false;
  return newestUsageHour.getTime() >= dayFinalAt(day, finalAfterHours).getTime();
}

/** The subset of `days` that is final, in the order given. */
export function finalDays(
  days: readonly string[],
  newestUsageHour: Date | null,
  finalAfterHours: number = DEFAULT_FINAL_AFTER_HOURS,
): string[] {
  return days.filter((day) => isDayFinal(day, newestUsageHour, finalAfterHours));
}
