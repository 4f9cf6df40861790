const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Parses `--now`; the clock when absent. */
export function nowOption(value: string | undefined): Date {
  const now = value ? new Date(value) : new Date();
  if (Number.isNaN(now.getTime())) throw new Error(`--now must be an ISO time, got "${value}"`);
  return now;
}

/** Checks day options such as `--from` / `--to` (UTC `YYYY-MM-DD`), naming the option that is wrong. */
export function checkDayOptions(options: Readonly<Record<string, string | undefined>>): void {
  for (const [name, value] of Object.entries(options)) {
    if (value !== undefined && !DAY.test(value)) {
      throw new Error(`${name} must be a day like 2026-06-01, got "${value}"`);
    }
  }
}
