import { createHash } from 'node:crypto';

/**
 * Every identity in the system is built here, from canonical JSON (keys sorted at every depth), so a
 * key never depends on property or array-of-labels order. node:crypto is a pure hash, not I/O.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortDeep(value));
}

function sortDeep(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[key];
      if (v !== undefined) out[key] = sortDeep(v);
    }
    return out;
  }
  return value;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

const TUPLE_SEPARATOR = '\u0000';

/**
 * An in-memory composite key (a map key of several ids): the parts joined by NUL, which no id, label or
 * tag value holds. `splitTupleKey` gives the parts back. Keys that are stored or sent use `canonicalJson`.
 */
export function tupleKey(parts: readonly string[]): string {
  return parts.join(TUPLE_SEPARATOR);
}

export function splitTupleKey(key: string): string[] {
  return key.split(TUPLE_SEPARATOR);
}

/** Short, stable id of a snapshot's content, stored on every fact it produced. */
export function snapshotId(parts: readonly { key: string; version: string }[]): string {
  const sorted = [...parts].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return sha256Hex(canonicalJson(sorted)).slice(0, 16);
}

/** Fingerprint of a finding: rule + day + labels, independent of label order. */
export function findingFingerprint(finding: {
  rule: string;
  day: string;
  labels: Readonly<Record<string, string>>;
}): string {
  return sha256Hex(canonicalJson({ rule: finding.rule, day: finding.day, labels: finding.labels })).slice(
    0,
    24,
  );
}

/** Group key of an alert group on a route. */
export function groupKey(routeId: string, groupLabels: Readonly<Record<string, string>>): string {
  return `${routeId}:${canonicalJson(groupLabels)}`;
}

/**
 * Identity of an alert condition (issue 12): the finding's rule and labels without the day, so every day
 * of an ongoing condition (and an escalation of it) is the same condition. Severity and provisional are
 * not labels of the finding, so they never split a condition either.
 */
export function conditionKey(finding: { rule: string; labels: Readonly<Record<string, string>> }): string {
  return `cond-${sha256Hex(canonicalJson({ rule: finding.rule, labels: finding.labels })).slice(0, 24)}`;
}
