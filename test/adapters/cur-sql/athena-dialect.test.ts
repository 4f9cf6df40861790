import { describe, expect, it } from 'vitest';
import {
  ATHENA_STAGE1_COLUMNS,
  assertAthenaDialect,
  athenaIdentifier,
  athenaLineProjection,
  athenaStage1Sql,
  athenaStringLiteral,
} from '../../../src/adapters/cur-sql/athena-dialect.js';
import { duckDbRunnableAthenaSql } from '../../../src/adapters/cur-sql/duckdb-athena-macros.js';
import { lineProjection } from '../../../src/adapters/cur-sql/line-projection.js';
import { ConfigError } from '../../../src/core/errors.js';

const CUR2_COLUMNS = new Map([
  ['bill_billing_entity', 'STRING'],
  ['bill_payer_account_id', 'STRING'],
  ['bill_billing_period_start_date', 'TIMESTAMP'],
  ['line_item_usage_account_id', 'STRING'],
  ['line_item_usage_account_name', 'STRING'],
  ['line_item_usage_start_date', 'TIMESTAMP'],
  ['line_item_usage_end_date', 'TIMESTAMP'],
  ['line_item_product_code', 'STRING'],
  ['line_item_usage_type', 'STRING'],
  ['line_item_operation', 'STRING'],
  ['line_item_line_item_type', 'STRING'],
  ['line_item_iam_principal', 'STRING'],
  ['line_item_usage_amount', 'DOUBLE'],
  ['line_item_unblended_cost', 'DOUBLE'],
  ['line_item_net_unblended_cost', 'DOUBLE'],
  ['product', 'MAP<STRING,STRING>'],
  ['resource_tags', 'MAP<STRING,STRING>'],
  ['tags', 'MAP<STRING,STRING>'],
  ['billing_period', 'STRING'],
]);

const LEGACY_COLUMNS = new Map([
  ...[...CUR2_COLUMNS].filter(
    ([name]) => !['product', 'resource_tags', 'tags', 'billing_period'].includes(name),
  ),
  ['product_product_name', 'STRING'],
  ['product_region', 'STRING'],
  ['resource_tags_user_workload', 'STRING'],
  ['resource_tags_user_cost_center', 'STRING'],
  ['resource_tags_user_owner', 'STRING'],
  ['year', 'STRING'],
  ['month', 'STRING'],
]);

const REF = { database: 'cur_db', table: 'cur_table', billingPeriod: '2026-06' };
const TAG_KEYS = ['costcenter', 'team', 'workload'];

/** `?` outside string literals. */
const placeholders = (sql: string) => (sql.replace(/'(?:[^']|'')*'/g, "''").match(/\?/g) ?? []).length;

describe('the Athena dialect shim', () => {
  it('fills the product map lookups with element_at, and DuckDB with subscripts, from one table', () => {
    // Prepare
    const columns = new Map([
      ['product', 'MAP(VARCHAR, VARCHAR)'],
      ['line_item_usage_amount', 'DOUBLE'],
      ['line_item_unblended_cost', 'DOUBLE'],
    ]);
    // Act
    const athena = athenaLineProjection('cur2', columns, []);
    const duckdb = lineProjection('cur2', columns, []);
    // Assess
    expect([athena.product_name, athena.product_region]).toEqual([
      `element_at("product", 'product_name')`,
      `element_at("product", 'region')`,
    ]);
    expect([duckdb.product_name, duckdb.product_region]).toEqual([
      "product['product_name']",
      "product['region']",
    ]);
  });

  it.each([
    ['SELECT x::VARCHAR', 'a :: cast'],
    ['SELECT list_filter(l, x -> x)', 'a list_* function'],
    ['SELECT to_json(l)', 'to_json'],
    ["SELECT regexp_replace(s, 'a', '', 'g')", "a regexp 'g' flag"],
    ["SELECT product['region']", 'a map subscript'],
    ['SELECT list_transform(m, e -> e.key)', 'a list_* function'],
    ['SELECT filter(m, e -> e.value IS NOT NULL)', 'a map_entries struct field'],
    ['SELECT * REPLACE (CAST(a AS VARCHAR) AS a)', 'SELECT * REPLACE'],
    ['SELECT {{source}}', 'an unfilled placeholder'],
  ])('refuses DuckDB-only syntax: %s', (sql, what) => {
    expect(() => assertAthenaDialect(sql)).toThrow(what);
  });

  it('does not mistake string literals for syntax', () => {
    expect(() => assertAthenaDialect("SELECT 'a::b', 'list_x(', 'x[''y'']' FROM t")).not.toThrow();
  });

  it('leaves DuckDB one rename to run the text: transform → list_transform', () => {
    expect(duckDbRunnableAthenaSql('transform(filter(a, k -> true), k -> k), json_transform(x)')).toBe(
      'list_transform(filter(a, k -> true), k -> k), json_transform(x)',
    );
  });
});

describe('athenaStage1Sql', () => {
  it.each([
    ['cur2', CUR2_COLUMNS],
    ['legacy', LEGACY_COLUMNS],
  ] as const)('%s: valid Athena text whose every value is an execution parameter', (format, columns) => {
    // Act
    const { sql, parameters } = athenaStage1Sql(format, columns, TAG_KEYS, REF);
    // Assess
    expect(() => assertAthenaDialect(sql)).not.toThrow();
    expect(placeholders(sql)).toBe(parameters.length);
    expect(sql).not.toContain('2026');
    for (const key of TAG_KEYS) expect(sql).not.toContain(`'${key}'`);
    expect(sql).toContain('FROM "cur_db"."cur_table" WHERE');
    expect(sql).not.toContain('⟨param');
    for (const column of ATHENA_STAGE1_COLUMNS) expect(sql).toContain(column);
  });

  it('cur2: filters on the billing_period partition twice (lines, partition count) and passes tag keys', () => {
    const { sql, parameters } = athenaStage1Sql('cur2', CUR2_COLUMNS, TAG_KEYS, REF);
    expect(sql.match(/billing_period = \?/g)).toHaveLength(2);
    // 5 tag sources × 3 keys, then the two period filters, in text order.
    expect(parameters).toEqual([
      ...Array.from({ length: 5 }, () => ["'costcenter'", "'team'", "'workload'"]).flat(),
      "'2026-06'",
      "'2026-06'",
    ]);
  });

  it('legacy: filters on year/month partitions with an unpadded month, tag columns as parameters', () => {
    const { sql, parameters } = athenaStage1Sql('legacy', LEGACY_COLUMNS, TAG_KEYS, REF);
    expect(sql.match(/"year" = \? AND "month" = \?/g)).toHaveLength(2);
    expect(sql).toContain('CAST("resource_tags_user_cost_center" AS VARCHAR)');
    expect(sql).not.toContain('resource_tags_user_owner'); // not a configured key
    expect(parameters).toEqual(["'costcenter'", "'workload'", "'2026'", "'6'", "'2026'", "'6'"]);
  });

  it('with no tag keys configured, matches the DuckDB projection (one empty key)', () => {
    const { parameters } = athenaStage1Sql('cur2', CUR2_COLUMNS, [], REF);
    expect(parameters.slice(0, 5)).toEqual(Array(5).fill("''"));
  });

  it('reads no tags map and no principal it does not have', () => {
    const drifted = new Map(
      [...CUR2_COLUMNS].filter(([n]) => n !== 'tags' && n !== 'line_item_iam_principal'),
    );
    const { sql, parameters } = athenaStage1Sql('cur2', drifted, TAG_KEYS, REF);
    expect(sql).not.toMatch(/"tags"/);
    expect(sql).toContain("'[]' AS principal_tags");
    expect(sql).toContain('CAST(NULL AS VARCHAR) AS iam_principal');
    expect(parameters).toHaveLength(3 + 2);
  });

  it.each([
    [{ ...REF, database: 'cur"; DROP TABLE x; --' }, 'Athena database "cur"; DROP TABLE x; --" is not valid'],
    [{ ...REF, table: 'a.b' }, 'Athena table "a.b" is not valid'],
    [{ ...REF, billingPeriod: "2026-06' OR '1'='1" }, 'is not YYYY-MM'],
    [{ ...REF, billingPeriod: '2026-13' }, 'is not YYYY-MM'],
  ])('rejects unsafe identifiers and periods: %o', (ref, message) => {
    expect(() => athenaStage1Sql('cur2', CUR2_COLUMNS, TAG_KEYS, ref)).toThrow(message);
    expect(() => athenaStage1Sql('cur2', CUR2_COLUMNS, TAG_KEYS, ref)).toThrow(ConfigError);
  });

  it('refuses a table without period partitions (every period would scan the whole table)', () => {
    const unpartitioned = new Map([...CUR2_COLUMNS].filter(([n]) => n !== 'billing_period'));
    expect(() => athenaStage1Sql('cur2', unpartitioned, TAG_KEYS, REF)).toThrow(
      'cur_db.cur_table: has neither a billing_period partition (CUR 2.0) nor year/month partitions (legacy CUR)',
    );
  });

  it('quotes identifiers and string literals the Trino way', () => {
    expect(athenaIdentifier('cur_2026')).toBe('"cur_2026"');
    expect(athenaStringLiteral("it's")).toBe("'it''s'");
  });
});
