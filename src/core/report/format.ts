import { formatUsd, type Money } from '../money.js';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** "+$1,234.50" / "-$12.00" / "$0.00": a change always shows its sign. */
export function formatSignedUsd(value: Money): string {
  if (value > 0n) return `+${formatUsd(value)}`;
  return formatUsd(value);
}

/** 0.1234 → "12.3%"; null → "—". */
export function formatPct(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

/** A relative change with its sign: "+12.3%", "-4.0%", "new" when there was nothing before. */
export function formatChangeRatio(ratio: number | null, change: Money): string {
  if (ratio === null) return change === 0n ? '—' : 'new';
  const pct = (ratio * 100).toFixed(1);
  return ratio > 0 ? `+${pct}%` : `${pct}%`;
}

/** "Mon 1 Jun". */
export function shortDay(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${WEEKDAYS[d.getUTCDay()]} ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

/** "1–7 Jun 2026", "29 Jun – 5 Jul 2026", "28 Dec 2026 – 3 Jan 2027". */
export function dayRange(first: string, last: string): string {
  const a = new Date(`${first}T00:00:00Z`);
  const b = new Date(`${last}T00:00:00Z`);
  const [ad, am, ay] = [a.getUTCDate(), MONTHS[a.getUTCMonth()], a.getUTCFullYear()];
  const [bd, bm, by] = [b.getUTCDate(), MONTHS[b.getUTCMonth()], b.getUTCFullYear()];
  if (ay !== by) return `${ad} ${am} ${ay} – ${bd} ${bm} ${by}`;
  if (am !== bm) return `${ad} ${am} – ${bd} ${bm} ${by}`;
  return `${ad}–${bd} ${bm} ${by}`;
}

/** "2026-06-10 00:00 UTC". */
export function formatInstant(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function formatTokens(tokens: number): string {
  if (tokens >= 1e9) return `${(tokens / 1e9).toFixed(2)}B`;
  if (tokens >= 1e6) return `${(tokens / 1e6).toFixed(2)}M`;
  if (tokens >= 1e3) return `${(tokens / 1e3).toFixed(1)}K`;
  return String(Math.round(tokens));
}

/** A share as an exact-enough decimal for CSV (6 places), empty when undefined. */
export function shareDecimal(value: number | null): string {
  return value === null || !Number.isFinite(value) ? '' : value.toFixed(6);
}
