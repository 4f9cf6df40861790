import { ALERT_LABEL_NAMES, type Alert } from '../alerting/alert.js';
import type { Labels } from '../alerting/labels.js';
import type { Matcher } from '../alerting/matchers.js';
import { conditionKey } from '../keys.js';

/** A condition as a button carries it: its key (core/keys conditionKey) and what it is made of. */
export interface ConditionRef {
  key: string;
  rule: string;
  /** The finding's labels (never the day; the alerting layer's own labels are not part of them). */
  labels: Labels;
}

/** Slack's limit on a button's `value`. */
export const BUTTON_VALUE_MAX = 2000;

/** The condition an alert belongs to. */
export function conditionOf(alert: Alert): ConditionRef {
  const labels = alert.finding.labels;
  return { key: conditionKey({ rule: alert.finding.rule, labels }), rule: alert.finding.rule, labels };
}

/**
 * The distinct conditions of a message's alerts, lead first, as many as fit one button value, and the
 * encoded value. `omitted` counts conditions that did not fit (the message says so); with none fitting
 * `value` is null and the message carries no buttons.
 */
export function encodeConditions(conditions: readonly ConditionRef[]): {
  value: string | null;
  included: number;
  omitted: number;
} {
  const distinct = [...new Map(conditions.map((c) => [c.key, c])).values()];
  let value: string | null = null;
  let included = 0;
  for (let n = 1; n <= distinct.length; n++) {
    const text = encode(distinct.slice(0, n));
    if (text.length > BUTTON_VALUE_MAX) break;
    value = text;
    included = n;
  }
  return { value, included, omitted: distinct.length - included };
}

const JSON_ESCAPES: Readonly<Record<string, string>> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

// Compact: version 1, then [key, rule, labels] per condition; no whitespace. `<`, `>` and `&` are written
// as JSON \u escapes: Slack never renders a value, but no data then looks like markup anywhere in a message.
function encode(conditions: readonly ConditionRef[]): string {
  return JSON.stringify([1, conditions.map((c) => [c.key, c.rule, c.labels])]).replace(
    /[<>&]/g,
    (ch) => JSON_ESCAPES[ch]!,
  );
}

export type DecodeResult = { ok: true; conditions: ConditionRef[] } | { ok: false; error: string };

/**
 * Reads a button value back. Every condition's key must be the key of its rule and labels: a value that
 * does not hash to its own key was not written by us, and nothing is done with it.
 */
export function decodeConditions(value: unknown): DecodeResult {
  if (typeof value !== 'string' || value.length > BUTTON_VALUE_MAX)
    return { ok: false, error: 'button value missing or too long' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return { ok: false, error: 'button value is not JSON' };
  }
  if (!Array.isArray(parsed) || parsed[0] !== 1 || !Array.isArray(parsed[1]) || parsed[1].length === 0)
    return { ok: false, error: 'button value is not a version-1 condition list' };
  const conditions: ConditionRef[] = [];
  for (const item of parsed[1] as unknown[]) {
    if (!Array.isArray(item) || item.length !== 3) return { ok: false, error: 'malformed condition' };
    const [key, rule, labels] = item as [unknown, unknown, unknown];
    if (typeof key !== 'string' || typeof rule !== 'string' || !isLabels(labels))
      return { ok: false, error: 'malformed condition' };
    if (conditionKey({ rule, labels }) !== key)
      return { ok: false, error: `condition ${key} does not match its rule and labels` };
    conditions.push({ key, rule, labels });
  }
  return { ok: true, conditions };
}

function isLabels(value: unknown): value is Labels {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

const RESERVED: ReadonlySet<string> = new Set(ALERT_LABEL_NAMES);

/**
 * The matchers that select exactly this condition's alerts on any day: `rule` plus every finding label
 * (equality; an empty value matches an absent label, as in Alertmanager). Labels the alerting layer sets
 * itself (day, severity, …) are left out, so the silence outlives the day and an escalation.
 */
export function conditionMatchers(condition: ConditionRef): Matcher[] {
  const labelMatchers = Object.keys(condition.labels)
    .filter((name) => !RESERVED.has(name))
    .sort()
    .map((name) => ({ name, op: '=' as const, value: condition.labels[name] ?? '' }));
  return [{ name: 'rule', op: '=', value: condition.rule }, ...labelMatchers];
}
