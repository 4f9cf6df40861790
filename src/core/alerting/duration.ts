const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
  y: 365 * 86_400_000,
};

// Alertmanager/Prometheus duration syntax: units in descending order, each at most once ("1h30m", "30d").
const DURATION_PATTERN = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNITS_IN_ORDER = ['y', 'w', 'd', 'h', 'm', 's', 'ms'] as const;

/** Milliseconds in a Prometheus-style duration ("4h", "1h30m", "30d"), or null when it is not one. */
export function parseDurationMs(text: string): number | null {
  const match = DURATION_PATTERN.exec(text);
  if (!match || text === '') return null;
  let total = 0;
  UNITS_IN_ORDER.forEach((unit, i) => {
    const n = match[i + 1];
    if (n !== undefined) total += Number(n) * UNIT_MS[unit]!;
  });
  return total;
}

/** Shortest Prometheus-style text for a duration, for reports ("30d", "1h30m"). */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const unit of UNITS_IN_ORDER) {
    const size = UNIT_MS[unit]!;
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
