import type { DuckDBValue } from '@duckdb/node-api';
import type { DuckDb } from '../duckdb/duckdb.js';

/**
 * The reverse of the Athena dialect shim: lets DuckDB execute the Athena SQL text produced by
 * athena-dialect.ts, so the parity test can run the exact text Athena would get on local data.
 *
 * Trino functions DuckDB lacks or spells with other semantics are installed as macros of the same name.
 * A DuckDB macro cannot take a lambda argument ("Invalid lambda expression"), so Trino's `transform`
 * cannot be one; it is the single name rewritten in the text (to DuckDB's `list_transform`, same
 * signature and semantics). `filter`, `map_keys`, `array_sort`, `concat`, `starts_with` and `ARRAY[…]`
 * exist in both engines as they are.
 */
export const ATHENA_MACROS: readonly string[] = [
  // DuckDB's own element_at on a MAP returns a one-element list; Trino's returns the value or NULL.
  'CREATE MACRO element_at(container, key) AS container[key]',
  // Trino's three-argument regexp_replace replaces every match; DuckDB's replaces the first one only.
  "CREATE MACRO regexp_replace(input, pattern, replacement) AS system.main.regexp_replace(input, pattern, replacement, 'g')",
  // Trino's JSON → VARCHAR text; DuckDB's JSON cast already yields compact text.
  'CREATE MACRO json_format(json) AS CAST(json AS VARCHAR)',
];

export async function installAthenaMacros(db: DuckDb): Promise<void> {
  for (const statement of ATHENA_MACROS) await db.run(statement);
}

/** The only textual difference DuckDB needs: Trino's `transform` is DuckDB's `list_transform`. */
export function duckDbRunnableAthenaSql(athenaSql: string): string {
  return athenaSql.replace(/\btransform\(/g, 'list_transform(');
}

/** Rows as Athena's GetQueryResults returns them: every value as text, NULL as null. */
export interface TextResult {
  columns: string[];
  rows: (string | null)[][];
}

/**
 * Runs Athena SQL text with its execution parameters bound as prepared-statement values (Athena
 * parameters are literal text: `'2026-06'` binds the string 2026-06, `6` the integer 6).
 */
export async function runAthenaSqlOnDuckDb(
  db: DuckDb,
  sql: string,
  parameters: readonly string[],
): Promise<TextResult> {
  const prepared = await db.connection.prepare(duckDbRunnableAthenaSql(sql));
  try {
    if (parameters.length > 0) prepared.bind(parameters.map(parseAthenaLiteral));
    const reader = await prepared.runAndReadAll();
    return {
      columns: reader.columnNames(),
      rows: reader.getRowsJS().map((row) => row.map(asText)),
    };
  } finally {
    prepared.destroySync();
  }
}

function parseAthenaLiteral(literal: string): DuckDBValue {
  const quoted = /^'((?:[^']|'')*)'$/s.exec(literal);
  if (quoted) return quoted[1]!.replaceAll("''", "'");
  if (/^-?\d+$/.test(literal)) return BigInt(literal);
  throw new Error(`not an Athena literal this runner binds: ${literal}`);
}

function asText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return JSON.stringify(value);
}
