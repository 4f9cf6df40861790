/** Number formatting for `why` lines: plain English, stable across locales (no Intl). */

function group(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** 4.1×, 12×, 0.44× */
export function formatTimes(ratio: number): string {
  if (ratio >= 10) return `${Math.round(ratio)}×`;
  if (ratio >= 1) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

/** 0.125 → "12.5%", 0.4 → "40%" */
export function formatPercent(fraction: number): string {
  const pct = fraction * 100;
  const text = Math.abs(pct) >= 10 || pct === Math.round(pct) ? Math.round(pct).toString() : pct.toFixed(1);
  return `${text}%`;
}

/** 1234567 → "1,234,567" */
export function formatCount(value: number): string {
  return group(Math.round(value).toString());
}

/** Plain ratio (tokens per token), two decimals. */
export function formatDecimal(value: number): string {
  return value.toFixed(2);
}
