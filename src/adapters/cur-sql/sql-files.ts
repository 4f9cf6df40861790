import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// src/adapters/cur-sql/ and dist/adapters/cur-sql/ both sit three folders below the package root.
const SQL_DIR = fileURLToPath(new URL('../../../sql/', import.meta.url));
const cache = new Map<string, string>();

/** A statement from `sql/`, with its header comment removed. */
export function loadSql(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(SQL_DIR + name, 'utf8')
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('--'))
      .join('\n')
      .trim();
    cache.set(name, text);
  }
  return text;
}

/** Fills `{{name}}` placeholders; a placeholder left unfilled is a defect, not a silent NULL. */
export function fillTemplate(sql: string, values: Readonly<Record<string, string>>): string {
  const filled = sql.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => values[key] ?? whole);
  const left = /\{\{(\w+)\}\}/.exec(filled);
  if (left) throw new Error(`SQL placeholder {{${left[1]}}} was not filled`);
  return filled;
}
