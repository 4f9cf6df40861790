import { type Labels, labelValue } from './labels.js';

export const MATCH_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatchOp = (typeof MATCH_OPS)[number];

/** One Alertmanager matcher: `severity="page"`, `workload=~"search-.*"`, `model!="x"`. Plain data. */
export interface Matcher {
  name: string;
  op: MatchOp;
  value: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

const MATCHER_PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Parses Alertmanager matcher syntax. The value may be double-quoted (with `\"`, `\\`, `\n`, `\t` escapes) or
 * bare; regex values are anchored at both ends, as in Alertmanager.
 */
export function parseMatcher(text: string): ParseResult<Matcher> {
  const match = MATCHER_PATTERN.exec(text);
  if (!match) {
    return {
      ok: false,
      error: `invalid matcher "${text}": expected name="value", name!="value", name=~"re" or name!~"re"`,
    };
  }
  const name = match[1]!;
  const op = match[2] as MatchOp;
  const rawValue = match[3]!;
  const value = unquote(rawValue);
  if (value === null)
    return { ok: false, error: `invalid matcher "${text}": unterminated or malformed quoted value` };
  if (op === '=~' || op === '!~') {
    try {
      anchored(value);
    } catch (error) {
      return {
        ok: false,
        error: `invalid matcher "${text}": bad regular expression (${(error as Error).message})`,
      };
    }
  }
  return { ok: true, value: { name, op, value } };
}

/** Parses a list of matcher strings, or returns the first error. */
export function parseMatchers(texts: readonly string[]): ParseResult<Matcher[]> {
  const out: Matcher[] = [];
  for (const text of texts) {
    const parsed = parseMatcher(text);
    if (!parsed.ok) return parsed;
    out.push(parsed.value);
  }
  return { ok: true, value: out };
}

const ESCAPES: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\' };

function unquote(raw: string): string | null {
  if (!raw.startsWith('"')) return raw.includes('"') ? null : raw;
  if (raw.length < 2 || !raw.endsWith('"')) return null;
  let out = '';
  const body = raw.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch === '"') return null;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) return null;
    // Other escapes stay as written: `"claude\.sonnet"` is a regex with a literal dot.
    out += ESCAPES[next] ?? `\\${next}`;
  }
  return out;
}

const QUOTED: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  '"': '\\"',
  '\n': '\\n',
  '\t': '\\t',
  '\r': '\\r',
};

/** Canonical text form, the one route keys and reports use. */
export function formatMatcher(m: Matcher): string {
  return `${m.name}${m.op}"${m.value.replace(/[\\"\n\t\r]/g, (ch) => QUOTED[ch]!)}"`;
}

/** `{a="1", b=~"x"}` — sorted, so a route key does not depend on the order matchers were written. */
export function formatMatchers(ms: readonly Matcher[]): string {
  return `{${ms.map(formatMatcher).sort().join(', ')}}`;
}

// Compiled once per pattern: routes and silences are evaluated for every alert of every run.
const regexCache = new Map<string, RegExp>();

function anchored(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 's');
    regexCache.set(pattern, re);
  }
  return re;
}

export function matches(m: Matcher, labels: Labels): boolean {
  const actual = labelValue(labels, m.name);
  switch (m.op) {
    case '=':
      return actual === m.value;
    case '!=':
      return actual !== m.value;
    case '=~':
      return anchored(m.value).test(actual);
    case '!~':
      return !anchored(m.value).test(actual);
  }
}

/** True when every matcher matches; an empty list matches everything. */
export function matchesAll(ms: readonly Matcher[], labels: Labels): boolean {
  return ms.every((m) => matches(m, labels));
}
