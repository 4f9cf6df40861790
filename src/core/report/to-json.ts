import { formatMoney, type Money } from '../money.js';

/**
 * A report as plain JSON data: every bigint in a report is Money, written as its exact decimal string
 * (formatMoney), never as a float.
 */
export function jsonReady(value: unknown): unknown {
  if (typeof value === 'bigint') return formatMoney(value as Money);
  if (Array.isArray(value)) return value.map(jsonReady);
  if (value instanceof Map)
    return Object.fromEntries([...value.entries()].map(([k, v]) => [String(k), jsonReady(v)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, jsonReady(v)]));
  }
  return value;
}
