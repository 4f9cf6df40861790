/**
 * ISO 8601 weeks in UTC: weeks start on Monday, and week 1 is the week holding the year's first Thursday,
 * so 29–31 December can belong to week 1 of the next year and 1–3 January to week 52/53 of the previous
 * one. Chargeback weeks follow this so "2026-W53" means the same seven days to every reader.
 */

const DAY_MS = 86_400_000;
const WEEK_PATTERN = /^(\d{4})-W(\d{2})$/;
const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export interface IsoWeek {
  year: number;
  week: number;
}

function dayMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00Z`);
  if (!DAY_PATTERN.test(day) || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day) {
    throw new RangeError(`not a day (YYYY-MM-DD): "${day}"`);
  }
  return ms;
}

function dayKey(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
function isoWeekday(ms: number): number {
  const d = new Date(ms).getUTCDay();
  return d === 0 ? 7 : d;
}

/** Monday of week 1 of `year`: the Monday on or before 4 January. */
function week1MondayMs(year: number): number {
  const jan4 = Date.UTC(year, 0, 4);
  return jan4 - (isoWeekday(jan4) - 1) * DAY_MS;
}

/** 53 when the year starts on a Thursday, or is a leap year starting on a Wednesday; else 52. */
export function weeksInIsoYear(year: number): 52 | 53 {
  return (week1MondayMs(year + 1) - week1MondayMs(year)) / (7 * DAY_MS) === 53 ? 53 : 52;
}

export function formatIsoWeek(week: IsoWeek): string {
  return `${String(week.year).padStart(4, '0')}-W${String(week.week).padStart(2, '0')}`;
}

/** Parses `YYYY-Www`; rejects week 00, week 54 and week 53 in a 52-week year. */
export function parseIsoWeek(text: string): IsoWeek {
  const match = WEEK_PATTERN.exec(text.trim());
  if (!match) throw new RangeError(`not an ISO week (YYYY-Www, e.g. 2026-W23): "${text}"`);
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInIsoYear(year)) {
    throw new RangeError(`${text}: ISO year ${year} has weeks 01–${weeksInIsoYear(year)}`);
  }
  return { year, week };
}

export function isIsoWeek(text: string): boolean {
  try {
    parseIsoWeek(text);
    return true;
  } catch {
    return false;
  }
}

/** The ISO week a UTC day belongs to: `isoWeekOf('2027-01-01')` is `2026-W53`. */
export function isoWeekOf(day: string): string {
  const ms = dayMs(day);
  // The Thursday of the same week decides the ISO year.
  const thursday = ms + (4 - isoWeekday(ms)) * DAY_MS;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - week1MondayMs(year)) / (7 * DAY_MS)) + 1;
  return formatIsoWeek({ year, week });
}

/** The seven days of an ISO week, Monday first. */
export function isoWeekDays(week: string): string[] {
  const { year, week: n } = parseIsoWeek(week);
  const monday = week1MondayMs(year) + (n - 1) * 7 * DAY_MS;
  return Array.from({ length: 7 }, (_, i) => dayKey(monday + i * DAY_MS));
}

/** The week `count` weeks after `week` (negative: before). */
export function addIsoWeeks(week: string, count: number): string {
  const monday = dayMs(isoWeekDays(week)[0]!);
  return isoWeekOf(dayKey(monday + count * 7 * DAY_MS));
}

export function previousIsoWeek(week: string): string {
  return addIsoWeeks(week, -1);
}

/** The latest ISO week that has fully ended at `now` (UTC): on any day of W24, that is W23. */
export function lastEndedIsoWeek(now: Date): string {
  return previousIsoWeek(isoWeekOf(now.toISOString().slice(0, 10)));
}
