import { formatMoney, type Money } from '../money.js';
import type { ReportFile } from './report-artifacts.js';

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

/** A report's JSON file: `jsonReady` data, indented, with a final newline. */
export function jsonReportFile(name: string, value: unknown): ReportFile {
  return { name, content: `${JSON.stringify(jsonReady(value), null, 2)}\n`, mimeType: 'application/json' };
}
