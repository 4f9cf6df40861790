import type { z } from 'zod';
import { type ParsedRule, RULE_DEFINITIONS, RULE_REGISTRY, RULE_TYPES } from './registry.js';

/** One problem in the `rules:` section, located by a path such as `rules[2].min_increase_usd`. */
export interface RuleConfigError {
  path: string;
  message: string;
}

export type ParseRulesResult = { ok: true; rules: ParsedRule[] } | { ok: false; errors: RuleConfigError[] };

/** A problem with its path relative to the `rules:` list, for embedding in a larger zod schema. */
export interface RuleConfigIssue {
  path: (string | number)[];
  message: string;
}

/** Every rule type with its DESIGN §6 defaults: what applies when `rules:` is omitted. */
export const DEFAULT_RULES: readonly ParsedRule[] = Object.freeze(
  RULE_DEFINITIONS.map((d) => d.schema.parse({ type: d.type }) as ParsedRule),
);

/**
 * Validates the `rules:` list. The type is checked first, so an unknown type lists the known ones; then the type's
 * strict schema runs, so a misspelt key names the keys that type allows. `undefined` (section omitted) gives the
 * defaults; `[]` disables every rule.
 */
export function parseRules(raw: unknown): ParseRulesResult {
  const result = checkRules(raw);
  if (result.ok) return result;
  return {
    ok: false,
    errors: result.issues.map((i) => ({ path: formatPath(['rules', ...i.path]), message: i.message })),
  };
}

/** `parseRules` with paths relative to the list, used by the config-level zod schema. */
export function checkRules(
  raw: unknown,
): { ok: true; rules: ParsedRule[] } | { ok: false; issues: RuleConfigIssue[] } {
  if (raw === undefined) return { ok: true, rules: DEFAULT_RULES.map((r) => structuredClone(r)) };
  if (!Array.isArray(raw)) {
    return {
      ok: false,
      issues: [
        { path: [], message: `expected a list of rules, got ${describe(raw)}; use [] to disable every rule` },
      ],
    };
  }
  const issues: RuleConfigIssue[] = [];
  const rules: ParsedRule[] = [];
  const seenNames = new Map<string, number>();
  raw.forEach((entry: unknown, index) => {
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      issues.push({
        path: [index],
        message: `expected a rule (a mapping with a "type" key), got ${describe(entry)}`,
      });
      return;
    }
    const type = (entry as Record<string, unknown>)['type'];
    const definition = typeof type === 'string' ? RULE_REGISTRY.get(type) : undefined;
    if (!definition) {
      issues.push({ path: [index, 'type'], message: unknownTypeMessage(type) });
      return;
    }
    const parsed = definition.schema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) issues.push(...toRuleIssues(issue, index, definition));
      return;
    }
    const rule = parsed.data as ParsedRule;
    const earlier = seenNames.get(rule.name);
    if (earlier !== undefined) {
      issues.push({
        path: [index, 'name'],
        message: `duplicate rule name "${rule.name}" (also rules[${earlier}]); give each rule of the same type its own name`,
      });
      return;
    }
    seenNames.set(rule.name, index);
    rules.push(rule);
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, rules };
}

function toRuleIssues(
  issue: z.core.$ZodIssue,
  index: number,
  definition: { type: string; keys: readonly string[] },
): RuleConfigIssue[] {
  const base = [index, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const hint = closest(key, definition.keys);
      return {
        path: [...base, key],
        message:
          `unknown key "${key}" for rule type "${definition.type}"` +
          (hint ? ` (did you mean "${hint}"?)` : '') +
          `; allowed keys: ${definition.keys.join(', ')}`,
      };
    });
  }
  return [{ path: base, message: issue.message }];
}

function unknownTypeMessage(type: unknown): string {
  const known = RULE_TYPES.join(', ');
  if (type === undefined) return `required; known types: ${known}`;
  if (typeof type !== 'string')
    return `expected a rule type name, got ${describe(type)}; known types: ${known}`;
  const hint = closest(type, RULE_TYPES);
  return `unknown rule type "${type}"${hint ? ` (did you mean "${hint}"?)` : ''}; known types: ${known}`;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
}

/** `rules[2].min_increase_usd`, `rules[0].levels[1]`. */
export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** One line per error, for `config validate` and startup failures. */
export function formatRuleErrors(errors: readonly RuleConfigError[]): string {
  return errors.map((e) => `${e.path}: ${e.message}`).join('\n');
}

/** The candidate within edit distance 3 (and less than half the word), for "did you mean". */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= 3 && bestDistance * 2 < word.length ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost));
    }
    previous = current;
  }
  return previous[b.length]!;
}
