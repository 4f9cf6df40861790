import { ConfigError } from '../../core/errors.js';
import { USAGE_LINE_ITEM_TYPES } from '../../core/facts/fact-filters.js';
import type { CurFormat } from './cur-format.js';
import { viaText } from './exact-decimal.js';
import { cur2ProductFields, cur2TagColumns, legacyTagColumnKeys } from './line-projection.js';
import { fillTemplate, loadSql } from './sql-files.js';
import {
  STAGE1_COLUMNS,
  STAGE1_GROUP_COLUMNS,
  STAGE1_SUM_COLUMNS,
  type Stage1ColumnName,
  stage1GroupsSql,
} from './stage1-columns.js';

/**
 * The Athena (Trino) side of stage 1. The statements in `sql/` are written once, in the SQL both engines share;
 * what differs is only in the placeholders each engine fills (this file for Athena, line-projection.ts for
 * DuckDB): map lookups become `element_at` (Trino's `m['k']` fails on a missing key where DuckDB returns
 * NULL), exact decimals go through text, the tag-pair projection uses Trino's lambda functions, and every value
 * reaches Athena as an execution parameter (`?`), never inside the text. `assertAthenaDialect` checks the
 * result for DuckDB-only syntax.
 */

/** One Athena statement and its execution parameters, in the order of the `?` in the text. */
export interface AthenaStatement {
  sql: string;
  /**
   * Athena substitutes each parameter as SQL literal text, so strings arrive already quoted
   * (`'2026-06'`); see athenaStringLiteral.
   */
  parameters: string[];
}

export interface AthenaTableRef {
  database: string;
  table: string;
  /** YYYY-MM. */
  billingPeriod: string;
}

/**
 * How a CUR table is split by billing period: CUR 2.0 exports (Data Exports) have a `billing_period`
 * partition (`BILLING_PERIOD=YYYY-MM` folders); the legacy CUR Athena integration uses `year` and `month`
 * (`year=2026/month=6`, month not zero-padded).
 */
export type PeriodPartitioning = 'billing_period' | 'year_month';

/**
 * Output columns of the stage-1 statement, in order; `row_kind` says which part a row belongs to. The middle
 * is `STAGE1_COLUMNS`, the table both engines share.
 */
export const ATHENA_STAGE1_COLUMNS = [
  'row_kind',
  ...STAGE1_COLUMNS.map((c) => c.name),
  'rows_read',
  'newest_usage_end',
] as const;

export type AthenaStage1Column = 'row_kind' | Stage1ColumnName | 'rows_read' | 'newest_usage_end';

/**
 * `group`: one stage1_groups row; `total`: one of its per-period totals rows; `partition`: the partition's row count
 * and newest usage end (all services, like DuckDB's rowsRead and watermark over a delivery's files).
 */
export type AthenaRowKind = 'group' | 'total' | 'partition';

const IDENTIFIER = /^[A-Za-z0-9_]+$/;
const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** A database or table name from config, checked and double-quoted (Trino quoting). */
export function athenaIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) {
    throw new ConfigError(`Athena ${what} "${name}" is not valid: use only letters, digits and _`);
  }
  return `"${name}"`;
}

/** A string as the SQL literal text Athena expects for an execution parameter. */
export function athenaStringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function checkBillingPeriod(period: string): { year: number; month: number } {
  const match = PERIOD.exec(period);
  if (!match) throw new ConfigError(`billing period "${period}" is not YYYY-MM`);
  return { year: Number(match[1]), month: Number(match[2]) };
}

export function periodPartitioning(label: string, columns: ReadonlyMap<string, string>): PeriodPartitioning {
  if (columns.has('billing_period')) return 'billing_period';
  if (columns.has('year') && columns.has('month')) return 'year_month';
  // Without a partition filter every period would scan (and bill) the whole table.
  throw new ConfigError(
    `${label}: has neither a billing_period partition (CUR 2.0) nor year/month partitions (legacy CUR)`,
  );
}

/**
 * Collects execution parameters while SQL is assembled from pieces whose final order is only known once
 * the template is filled: each value becomes an opaque marker, and `resolve` turns markers into `?` in
 * text order, so the parameter list can never drift from the text.
 */
export class ParameterMarkers {
  private readonly values: string[] = [];

  mark(literal: string): string {
    this.values.push(literal);
    return `⟨param ${this.values.length - 1}⟩`;
  }

  string(value: string): string {
    return this.mark(athenaStringLiteral(value));
  }

  resolve(sql: string): AthenaStatement {
    const parameters: string[] = [];
    const text = sql.replace(/⟨param (\d+)⟩/g, (_whole, index: string) => {
      parameters.push(this.values[Number(index)]!);
      return '?';
    });
    return { sql: text, parameters };
  }
}

const NULL_TEXT = 'CAST(NULL AS VARCHAR)';
const NO_TAGS = "'[]'";

/** Trino: lower-case, only a-z and 0-9 (regexp_replace replaces every match by default). */
const normKey = (expr: string) => `regexp_replace(lower(${expr}), '[^a-z0-9]', '')`;

const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Athena version of `lineProjection` (line-projection.ts): fills the same placeholders of
 * `sql/<format>/bedrock_lines.sql` from the table's columns, with Trino functions and the configured tag
 * keys as parameters (as `markers` entries, turned into `?` by `markers.resolve` on the whole statement).
 * It must produce the same values row for row; the parity test holds it to that.
 */
export function athenaLineProjection(
  format: CurFormat,
  columns: ReadonlyMap<string, string>,
  tagKeys: readonly string[],
  markers: ParameterMarkers = new ParameterMarkers(),
): Record<string, string> {
  const column = (name: string, fallback = NULL_TEXT) => (columns.has(name) ? quoted(name) : fallback);
  const common = {
    operation: column('line_item_operation'),
    pricing_unit: column('pricing_unit'),
    item_description: column('line_item_line_item_description'),
    resource_id: column('line_item_resource_id'),
    usage_amount: viaText(quoted('line_item_usage_amount')),
    cost_unblended: viaText(quoted('line_item_unblended_cost')),
    cost_net: viaText(column('line_item_net_unblended_cost', quoted('line_item_unblended_cost'))),
    region_code: column('product_region_code'),
  };
  const keys = normalisedKeys(tagKeys);
  const keyList = () => keys.map((k) => markers.string(k)).join(', ');
  if (format === 'legacy') {
    return {
      ...common,
      region_name: column('product_region'),
      resource_tags: legacyTagColumns(columns, keys, markers),
    };
  }
  const isMap = (name: string) => columns.get(name)?.toUpperCase().startsWith('MAP') ?? false;
  const fromResourceTags = isMap('resource_tags') ? mapPairs('resource_tags', "'user_'", keyList()) : null;
  const fromTags = (prefix: string) => (isMap('tags') ? mapPairs('tags', prefix, keyList()) : null);
  return {
    ...common,
    usage_account_name: column('line_item_usage_account_name'),
    iam_principal: column('line_item_iam_principal'),
    ...cur2ProductFields((map, key) => `element_at(${quoted(map)}, '${key}')`),
    ...cur2TagColumns(fromResourceTags, fromTags, pairsJson),
  };
}

/** The DuckDB projection's key list: normalised keys, or one empty key when none is configured. */
function normalisedKeys(tagKeys: readonly string[]): string[] {
  const keys = tagKeys.map((k) => k.replace(/[^a-z0-9]/g, ''));
  return keys.length > 0 ? keys : [''];
}

/** [normalised key, value] pairs of a MAP column's entries under a key prefix, for configured keys only. */
function mapPairs(mapColumn: string, prefix: string, keyList: string): string {
  const map = quoted(mapColumn);
  const rest = `substr(k, length(${prefix}) + 1)`;
  const value = `element_at(${map}, k)`;
  const exclude =
    prefix === "'resourceTags/'"
      ? " AND NOT starts_with(k, 'resourceTags/user:') AND NOT starts_with(k, 'resourceTags/aws:')"
      : '';
  // Trino's map_entries rows have no field names, so the lambdas walk the keys and look values up.
  return (
    `transform(filter(map_keys(${map}), k -> starts_with(k, ${prefix})${exclude}` +
    ` AND COALESCE(${value}, '') <> '' AND ${normKey(rest)} IN (${keyList})), k -> ARRAY[${normKey(rest)}, ${value}])`
  );
}

function pairsJson(parts: readonly (string | null)[]): string {
  const present = parts.filter((p): p is string => p !== null);
  if (present.length === 0) return NO_TAGS;
  // DuckDB's list_concat skips a NULL list (a row whose map is NULL); Trino's concat returns NULL.
  const combined =
    present.length === 1
      ? present[0]!
      : `concat(${present.map((p) => `COALESCE(${p}, ARRAY[])`).join(', ')})`;
  return `json_format(CAST(array_sort(${combined}) AS JSON))`;
}

function legacyTagColumns(
  columns: ReadonlyMap<string, string>,
  keys: readonly string[],
  markers: ParameterMarkers,
): string {
  const pairs = legacyTagColumnKeys(columns, new Set(keys)).map(
    ({ name, key }) => `ARRAY[${markers.string(key)}, CAST(${quoted(name)} AS VARCHAR)]`,
  );
  if (pairs.length === 0) return NO_TAGS;
  return `json_format(CAST(array_sort(filter(ARRAY[${pairs.join(', ')}], p -> COALESCE(p[2], '') <> '')) AS JSON))`;
}

/**
 * DuckDB-only syntax that must not reach Athena; a hit is a defect in the shim or in `sql/`. Patterns are
 * matched with string literals blanked out, except those that are about a literal.
 */
const DUCKDB_ONLY: readonly (readonly [RegExp, string, 'code' | 'raw'])[] = [
  [/::/, 'a :: cast', 'code'],
  [/\blist_\w+\(/, 'a list_* function', 'code'],
  [/\bto_json\(/, 'to_json', 'code'],
  [/\bstruct_\w+\(/, 'a struct_* function', 'code'],
  [/\bregexp_replace\((?:[^()]|\([^()]*\))*,\s*'[a-z]+'\s*\)/, "a regexp 'g' flag", 'raw'],
  [/\w\['/, 'a map subscript (Trino fails on a missing key; use element_at)', 'code'],
  [/\b\w+\.(?:key|value)\b/, 'a map_entries struct field', 'code'],
  [/\bREPLACE\s*\(\s*CAST/i, 'SELECT * REPLACE', 'code'],
  [/\bEXCLUDE\s*\(/i, 'SELECT * EXCLUDE', 'code'],
  [/\bILIKE\b/i, 'ILIKE', 'code'],
  [/\{\{\w+\}\}/, 'an unfilled placeholder', 'code'],
];

export function assertAthenaDialect(sql: string): void {
  const code = sql.replace(/'(?:[^']|'')*'/g, "''");
  for (const [pattern, what, on] of DUCKDB_ONLY) {
    const match = pattern.exec(on === 'code' ? code : sql);
    if (match) throw new Error(`Athena SQL contains ${what}: "${match[0]}"`);
  }
}

/**
 * The stage-1 statement for one billing period of a CUR Glue table: `sql/<format>/bedrock_lines.sql`
 * over the period's partition, then `sql/stage1_groups.sql` (groups and per-period totals) over those
 * lines, and the partition's row count, as one statement (one consistent read of the partition, one
 * result set). Rows are told apart by `row_kind`; money is cast to VARCHAR so its text is exact.
 */
export function athenaStage1Sql(
  format: CurFormat,
  columns: ReadonlyMap<string, string>,
  tagKeys: readonly string[],
  ref: AthenaTableRef,
): AthenaStatement {
  const markers = new ParameterMarkers();
  const table = `${athenaIdentifier(ref.database, 'database')}.${athenaIdentifier(ref.table, 'table')}`;
  const period = checkBillingPeriod(ref.billingPeriod);
  const partitioning = periodPartitioning(`${ref.database}.${ref.table}`, columns);
  const periodFilter = () =>
    partitioning === 'billing_period'
      ? `billing_period = ${markers.string(ref.billingPeriod)}`
      : `"year" = ${markers.string(String(period.year))} AND "month" = ${markers.string(String(period.month))}`;

  const lines = fillTemplate(loadSql(`${format}/bedrock_lines.sql`), {
    ...athenaLineProjection(format, columns, tagKeys, markers),
    source: `(SELECT * FROM ${table} WHERE ${periodFilter()}) AS cur_source`,
  });
  const sets = stage1GroupsSql('bedrock_lines');

  // Sums as text (exact), the line count as it is.
  const sums = STAGE1_COLUMNS.filter((c) => c.kind === 'decimal' || c.kind === 'count').map((c) =>
    c.kind === 'decimal' ? `CAST(${c.name} AS VARCHAR) AS ${c.name}` : c.name,
  );
  const nulls = (names: readonly string[]) => names.map((n) => `NULL AS ${n}`);
  // Engines print timestamps differently (Trino adds milliseconds); the engine normalises the text.
  // The watermark: running-usage lines only (tax and monthly fees end at the period end).
  const usageTypes = [...USAGE_LINE_ITEM_TYPES].map((t) => `'${t}'`).join(', ');
  const newestUsageEnd = columns.has('line_item_usage_end_date')
    ? `CAST(max(line_item_usage_end_date) FILTER (WHERE line_item_line_item_type IN (${usageTypes})) AS VARCHAR)`
    : 'CAST(NULL AS VARCHAR)';
  const sql = [
    'WITH bedrock_lines AS (',
    indent(lines),
    '), stage1_sets AS (',
    indent(sets),
    '), partition_rows AS (',
    `  SELECT COUNT(*) AS rows_read, ${newestUsageEnd} AS newest_usage_end`,
    `  FROM ${table} WHERE ${periodFilter()}`,
    ')',
    `SELECT CASE WHEN is_period_total = 1 THEN 'total' ELSE 'group' END AS row_kind, ${[
      ...STAGE1_GROUP_COLUMNS,
      ...sums,
      'CAST(NULL AS BIGINT) AS rows_read',
      'CAST(NULL AS VARCHAR) AS newest_usage_end',
    ].join(', ')}`,
    'FROM stage1_sets',
    'UNION ALL',
    `SELECT 'partition', ${[
      ...nulls(STAGE1_GROUP_COLUMNS),
      ...nulls(STAGE1_SUM_COLUMNS),
      'rows_read',
      'newest_usage_end',
    ].join(', ')}`,
    'FROM partition_rows',
  ].join('\n');
  assertAthenaDialect(sql);
  return markers.resolve(sql);
}

function indent(sql: string): string {
  return sql
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}
