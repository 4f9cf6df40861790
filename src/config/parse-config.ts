import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../core/errors.js';
import { type Config, ConfigSchema } from './schema.js';

/** Parses config YAML text; `source` names the file in error messages. */
export function parseConfigText(text: string, source: string): Config {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0]!;
    const line = first.linePos?.[0];
    throw new ConfigError(
      `${source}${line ? `:${line.line}:${line.col}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  let raw: unknown;
  try {
    // `toJS` expands aliases; the yaml library refuses an alias bomb (billions of laughs) here.
    raw = doc.toJS() ?? {};
  } catch (error) {
    throw new ConfigError(
      `${source}: invalid YAML: ${(error as Error).message} (aliases expand to too many nodes)`,
      { cause: error },
    );
  }
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(`${source}: invalid config\n${formatIssues(result.error.issues)}`);
  }
  return result.data;
}

/** One line per issue: `  - attribution.tag_key: unknown key; allowed keys: tag_keys, precedence`. */
export function formatIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues
    .map((issue) => {
      const path = formatPath(issue.path);
      if (issue.code === 'unrecognized_keys') {
        const allowed = allowedKeysAt(issue.path);
        return issue.keys
          .map(
            (key) =>
              `  - ${path ? `${path}.` : ''}${key}: unknown key${allowed ? `; allowed keys: ${allowed.join(', ')}` : ''}`,
          )
          .join('\n');
      }
      if (issue.code === 'invalid_key') {
        const inner = issue.issues[0]?.message ?? issue.message;
        return `  - ${path}: invalid key, expected ${inner}${accountIdHint(issue.path)}`;
      }
      return `  - ${path || '(top level)'}: ${issue.message}`;
    })
    .join('\n');
}

/**
 * YAML reads an unquoted `012345678901` as the number 12345678901: an all-digit key shorter than 12 digits
 * under `accounts` almost always lost its leading zeros that way.
 */
function accountIdHint(path: readonly PropertyKey[]): string {
  const key = String(path.at(-1) ?? '');
  if (path[0] !== 'accounts' || path.length !== 2 || !/^\d{1,11}$/.test(key)) return '';
  const id = key.padStart(12, '0');
  return `; YAML read an unquoted ${id} as the number ${key}: quote the account id ("${id}": …)`;
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const key = String(part);
    return out ? `${out}.${key}` : key;
  }, '');
}

/** Walks the config schema along a path to list the keys an object there accepts. */
function allowedKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  let schema: unknown = ConfigSchema;
  for (const part of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: Record<string, unknown> }).def;
    if (!def) return undefined;
    if (def.type === 'object') schema = (def.shape as Record<string, unknown>)[String(part)];
    else if (def.type === 'record') schema = def.valueType;
    else if (def.type === 'array') schema = def.element;
    else return undefined;
    if (schema === undefined) return undefined;
  }
  const def = (unwrap(schema) as { def?: Record<string, unknown> }).def;
  return def?.type === 'object' ? Object.keys(def.shape as object) : undefined;
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: Record<string, unknown> };
  while (
    current?.def &&
    ['default', 'optional', 'nullable', 'prefault', 'pipe'].includes(String(current.def.type))
  ) {
    current = (current.def.innerType ?? current.def.in) as { def?: Record<string, unknown> };
  }
  return current;
}
