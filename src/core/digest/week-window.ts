import { addDays } from '../time/days.js';
import { isoWeekDays, previousIsoWeek } from '../time/iso-week.js';
import { dayFinalAt, isDayFinal } from '../watermark.js';

export interface DayStatus {
  day: string;
  final: boolean;
  /** When the day becomes (or became) final: its end plus `finalAfterHours`, ISO UTC. */
  finalAt: string;
}

/**
 * The days a weekly digest reads, judged against the completeness watermark. Only final days count; the
 * month-to-date and forecast run up to the week's last final day (`asOfDay`).
 */
export interface WeekWindow {
  week: string;
  finalAfterHours: number;
  days: string[];
  statuses: DayStatus[];
  finalDays: string[];
  pendingDays: string[];
  complete: boolean;
  previousWeek: string;
  previousDays: string[];
  /**
   * The previous week's days the "last week" column sums: all of them when this week is complete, else the
   * same weekdays as this week's final days, so a partial week is compared like for like. Final days only.
   */
  previousFinalDays: string[];
  previousComplete: boolean;
  /** The newest usage hour the data reaches (ISO), or null when there is no data. */
  asOf: string | null;
  /** The week's last final day; null when none of its days is final yet. */
  asOfDay: string | null;
  /** `YYYY-MM` of asOfDay: the month the month-to-date column and the forecast are for. */
  month: string | null;
  /** 1st of `month` through asOfDay. */
  monthDays: string[];
  /** The 7 days ending on asOfDay: the run rate the forecast extends. */
  trailingDays: string[];
  /** Days of `month` after asOfDay. */
  remainingDaysInMonth: number;
}

function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let day = from; day <= to; day = addDays(day, 1)) out.push(day);
  return out;
}

function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

export function weekWindow(week: string, newestUsageHour: Date | null, finalAfterHours: number): WeekWindow {
  const days = isoWeekDays(week);
  const previousWeek = previousIsoWeek(week);
  const previousDays = isoWeekDays(previousWeek);
  const final = (day: string) => isDayFinal(day, newestUsageHour, finalAfterHours);
  const statuses = days.map((day) => ({
    day,
    final: final(day),
    finalAt: dayFinalAt(day, finalAfterHours).toISOString(),
  }));
  const finalDays = statuses.filter((s) => s.final).map((s) => s.day);
  const comparable = finalDays.length === days.length ? previousDays : finalDays.map((d) => addDays(d, -7));
  const previousFinalDays = comparable.filter(final);
  const asOfDay = finalDays.at(-1) ?? null;
  const month = asOfDay?.slice(0, 7) ?? null;
  return {
    week,
    finalAfterHours,
    days,
    statuses,
    finalDays,
    pendingDays: statuses.filter((s) => !s.final).map((s) => s.day),
    complete: finalDays.length === days.length,
    previousWeek,
    previousDays,
    previousFinalDays,
    previousComplete: previousFinalDays.length === previousDays.length,
    asOf: newestUsageHour && !Number.isNaN(newestUsageHour.getTime()) ? newestUsageHour.toISOString() : null,
    asOfDay,
    month,
    monthDays: asOfDay && month ? daysBetween(`${month}-01`, asOfDay) : [],
    trailingDays: asOfDay ? daysBetween(addDays(asOfDay, -6), asOfDay) : [],
    remainingDaysInMonth: asOfDay && month ? daysInMonth(month) - Number(asOfDay.slice(8, 10)) : 0,
  };
}

/**
 * The usage days to read for a week's digest: the previous week, the month the week starts in (for month to
 * date), and three days past Sunday so the data itself shows whether Sunday is final.
 */
export function digestFactRange(week: string): { from: string; to: string } {
  const days = isoWeekDays(week);
  const monday = days[0]!;
  const previousMonday = addDays(monday, -7);
  const monthStart = `${monday.slice(0, 7)}-01`;
  return {
    from: monthStart < previousMonday ? monthStart : previousMonday,
    to: addDays(days[6]!, 3),
  };
}
