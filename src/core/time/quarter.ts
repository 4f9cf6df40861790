import { addDays } from './days.js';

const QUARTER = /^(\d{4})-Q([1-4])$/;

export interface Quarter {
  year: number;
  quarter: 1 | 2 | 3 | 4;
}

export function parseQuarter(text: string): Quarter {
  const match = QUARTER.exec(text.trim());
  if (!match) throw new RangeError(`not a quarter (YYYY-Qn, e.g. 2026-Q2): "${text}"`);
  return { year: Number(match[1]), quarter: Number(match[2]) as Quarter['quarter'] };
}

/** First and last UTC day of a quarter. */
export function quarterBounds(text: string): { first: string; last: string } {
  const { year, quarter } = parseQuarter(text);
  const startMonth = (quarter - 1) * 3;
  const first = new Date(Date.UTC(year, startMonth, 1)).toISOString().slice(0, 10);
  const last = new Date(Date.UTC(year, startMonth + 3, 0)).toISOString().slice(0, 10);
  return { first, last };
}

export function quarterDays(text: string): string[] {
  const { first, last } = quarterBounds(text);
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}

export function quarterOf(day: string): string {
  const month = Number(day.slice(5, 7));
  return `${day.slice(0, 4)}-Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The latest quarter that has ended at `now`: run on any day of Q3, that is Q2. */
export function lastEndedQuarter(now: Date): string {
  const { year, quarter } = parseQuarter(quarterOf(now.toISOString().slice(0, 10)));
  return quarter === 1 ? `${year - 1}-Q4` : `${year}-Q${quarter - 1}`;
}
