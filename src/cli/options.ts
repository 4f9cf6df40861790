import { isDayKey } from '../core/time/days.js';

const DATE_PART = /^(\d{4}-\d{2}-\d{2})/;

/**
 * Parses an ISO time option (`--now`, `--starts-at`, …), naming it when the value is not a time or its date
 * is impossible (`2026-02-30T…`, which Date would roll over to March).
 */
export function timeOption(name: string, value: string): Date {
  const time = new Date(value);
  const day = DATE_PART.exec(value)?.[1];
  if (Number.isNaN(time.getTime()) || (day !== undefined && !isDayKey(day)))
    throw new Error(`${name} must be an ISO time like 2026-06-10T06:00:00Z, got "${value}"`);
  return time;
}

/** Parses `--now`; the clock when absent. */
export function nowOption(value: string | undefined): Date {
  return value === undefined ? new Date() : timeOption('--now', value);
}

/**
 * Checks day options such as `--from` / `--to` (UTC `YYYY-MM-DD`, a real calendar day), naming the option
 * that is wrong; with both `--from` and `--to`, `--from` must not be after `--to`.
 */
export function checkDayOptions(options: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !isDayKey(value)) {
      throw new Error(`${name} must be a calendar day like 2026-06-01, got "${value}"`);
    }
  }
  const from = options['--from'];
  const to = options['--to'];
  if (from !== undefined && to !== undefined && from > to) {
    throw new Error(`--from ${from} is after --to ${to}`);
  }
}
