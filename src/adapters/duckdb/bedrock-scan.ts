import type { TagPairs } from '../../core/normalize/stage1-row.js';
import { DUCKDB_PRODUCT_FIELDS } from '../cur-sql/line-projection.js';
import { STAGE1_TAG_COLUMNS, type Stage1TagColumn } from '../cur-sql/stage1-columns.js';
import { type DuckDb, sqlString } from './duckdb.js';

export const FIRST_PARTY_PRODUCT_CODES = [
  'AmazonBedrock',
  'AmazonBedrockService',
  'AmazonBedrockFoundationModels',
  'AmazonBedrockAgentCore',
] as const;

/**
 * The two halves of the Bedrock line-item filter of sql/cur2/bedrock_lines.sql (a test keeps them identical
 * to the template's), one per billing path. The OR of both is not pushed into the Parquet reader, which then
 * decodes every column of every row; each half is, and is scanned on its own (the paths are disjoint by
 * billing entity, so their UNION ALL holds every line once).
 */
export const CUR2_FIRST_PARTY_PREDICATE = `bill_billing_entity = 'AWS' AND line_item_product_code IN (${FIRST_PARTY_PRODUCT_CODES.map(sqlString).join(', ')})`;
/**
 * Every first-party code starts with this (a test holds them to it). DuckDB applies an IN list in the Parquet
 * reader only as an optional, page-level filter: ~40% of all rows came out of the scan, their tag maps decoded.
 * A prefix LIKE becomes a range filter the reader applies row by row, so only Bedrock rows are decoded
 * (measured on 5M rows: the stage-1 statement in 0.55 s instead of 1.05 s). It is implied by the IN list, so
 * the lines kept are the same.
 */
export const FIRST_PARTY_CODE_PREFIX = 'AmazonBedrock';
export const CUR2_MARKETPLACE_PREDICATE = `bill_billing_entity = 'AWS Marketplace' AND ${DUCKDB_PRODUCT_FIELDS.product_name} LIKE '%Bedrock%'`;

/** Every CUR 2.0 column sql/cur2/bedrock_lines.sql and its placeholders may read. */
const CUR2_LINE_COLUMNS = [
  'bill_billing_entity',
  'bill_payer_account_id',
  'bill_billing_period_start_date',
  'line_item_usage_account_id',
  'line_item_usage_account_name',
  'line_item_usage_start_date',
  'line_item_product_code',
  'line_item_usage_type',
  'line_item_operation',
  'line_item_line_item_type',
  'line_item_line_item_description',
  'line_item_resource_id',
  'line_item_iam_principal',
  'line_item_usage_amount',
  'line_item_unblended_cost',
  'line_item_net_unblended_cost',
  'pricing_unit',
  'product',
  'product_region_code',
  'resource_tags',
  'tags',
];

/** The CUR 2.0 tag maps the delivery has, as MAP columns. */
export function cur2TagMaps(columns: ReadonlyMap<string, string>): ('resource_tags' | 'tags')[] {
  return (['resource_tags', 'tags'] as const).filter((c) => columns.get(c)?.startsWith('MAP'));
}

/**
 * `{{source}}` for sql/cur2/bedrock_lines.sql on DuckDB: the Bedrock rows of `source`, one scan per billing path
 * whose filter the Parquet reader applies before decoding the other columns. `product` is narrowed to the two keys
 * the template reads (the same `product['…']` access on a two-field struct), so the map is not carried past the
 * scan.
 */
export function cur2BedrockSource(source: string, columns: ReadonlyMap<string, string>): string {
  const keep = CUR2_LINE_COLUMNS.filter((c) => columns.has(c))
    .map((c) =>
      c === 'product'
        ? "struct_pack(product_name := product['product_name'], region := product['region']) AS product"
        : c,
    )
    .join(', ');
  const select = `SELECT ${keep} FROM ${source}`;
  const firstParty = `line_item_product_code LIKE ${sqlString(`${FIRST_PARTY_CODE_PREFIX}%`)} AND ${CUR2_FIRST_PARTY_PREDICATE}`;
  return `(${select} WHERE ${firstParty} UNION ALL ${select} WHERE ${CUR2_MARKETPLACE_PREDICATE}) AS bedrock_source`;
}

const NO_MAP = 'CAST(NULL AS MAP(VARCHAR, VARCHAR))';

/**
 * Tag placeholders of sql/cur2/bedrock_lines.sql that carry the maps themselves: the lines are grouped by map,
 * and `groupsWithTagPairs` turns each distinct map into pairs afterwards. Building the pairs takes list lambdas
 * that are the costliest part of stage 1 when evaluated per line (measured ~1–2 s on 57k lines); Bedrock lines
 * carry a handful of distinct maps.
 */
export function rawTagMapPlaceholders(columns: ReadonlyMap<string, string>): Record<string, string> {
  const maps = cur2TagMaps(columns);
  return {
    resource_tags: maps.includes('resource_tags') ? 'resource_tags' : NO_MAP,
    principal_tags: maps.includes('tags') ? 'tags' : NO_MAP,
    account_tags: NO_MAP,
  };
}

/** The stage-1 groups with their tag maps replaced by pairs, and the pairs each tag column's value stands for. */
export interface GroupsWithTagPairs {
  /** The groups, each tag column holding the id (as text) of its group's row in the pairs table. */
  sql: string;
  tagPairs: (column: Stage1TagColumn, id: string | null) => TagPairs;
}

/**
 * The stage-1 groups of `table` (the output of sql/stage1_groups.sql over lines with raw tag maps), with the maps
 * replaced by the pairs of `projection` (line-projection.ts, which reads columns `resource_tags` and `tags`),
 * built once per distinct map combination. Groups whose maps differ only in keys the pairs leave out become one
 * group, as they would have been had the pairs been built per line.
 *
 * The pairs travel as a small integer: `pairs_id` ranks the distinct (resource, principal, account) pair texts in
 * their sort order, so ordering by it orders as the texts would, and the rows hand over a number instead of the
 * texts (measured on 10k groups: the JSON hand-over a third smaller). When no two map combinations give the same
 * pairs, which is usual, every group is already a group of the pairs and the re-grouping is skipped.
 */
export async function groupsWithTagPairs(
  db: DuckDb,
  table: string,
  projection: Readonly<Record<string, string>>,
): Promise<GroupsWithTagPairs> {
  const pairs = STAGE1_TAG_COLUMNS.map((c) => `${projection[c]} AS ${c}`).join(', ');
  // The maps' hash leads the join (a cheap integer key); the maps themselves decide, so a collision cannot mismatch.
  await db.run(
    `CREATE TEMP TABLE tag_pairs AS
     SELECT *, dense_rank() OVER (ORDER BY ${STAGE1_TAG_COLUMNS.join(', ')}) AS pairs_id
     FROM (SELECT resource_tags AS resource_tags_map, tags AS tags_map, hash(resource_tags, tags) AS maps_hash, ${pairs}
           FROM (SELECT DISTINCT resource_tags, principal_tags AS tags FROM ${table} WHERE is_period_total = 0))`,
  );
  const sets = await db.rows<{
    pairs_id: bigint | number;
    resource_tags: string | null;
    principal_tags: string | null;
    account_tags: string | null;
    maps: bigint | number;
  }>(
    `SELECT pairs_id, any_value(resource_tags) AS resource_tags, any_value(principal_tags) AS principal_tags,
            any_value(account_tags) AS account_tags, COUNT(*) AS maps
     FROM tag_pairs GROUP BY pairs_id`,
  );
  const byId = new Map<string, Record<Stage1TagColumn, TagPairs>>();
  const parse = (json: string | null): TagPairs => (json ? (JSON.parse(json) as [string, string][]) : []);
  for (const set of sets) {
    byId.set(String(set.pairs_id), {
      resource_tags: parse(set.resource_tags),
      principal_tags: parse(set.principal_tags),
      account_tags: parse(set.account_tags),
    });
  }
  const regroup = sets.some((s) => Number(s.maps) > 1);
  const join = `FROM ${table} g JOIN tag_pairs p
       ON hash(g.resource_tags, g.principal_tags) = p.maps_hash
      AND g.resource_tags IS NOT DISTINCT FROM p.resource_tags_map AND g.principal_tags IS NOT DISTINCT FROM p.tags_map
     WHERE g.is_period_total = 0`;
  const ids = STAGE1_TAG_COLUMNS.map((c) => `p.pairs_id AS ${c}`).join(', ');
  const sql = regroup
    ? `SELECT g.* EXCLUDE (${STAGE1_TAG_COLUMNS.join(', ')}, usage_amount, cost_unblended, cost_net, line_items, is_period_total),
       ${ids},
       SUM(g.usage_amount) AS usage_amount, SUM(g.cost_unblended) AS cost_unblended, SUM(g.cost_net) AS cost_net,
       SUM(g.line_items) AS line_items
     ${join}
     GROUP BY ALL`
    : `SELECT g.* EXCLUDE (${STAGE1_TAG_COLUMNS.join(', ')}, is_period_total), ${ids} ${join}`;
  return {
    sql,
    tagPairs: (column, id) => {
      const set = id === null ? undefined : byId.get(id);
      if (!set) throw new Error(`stage 1: no tag pairs with id ${id}`);
      return set[column];
    },
  };
}
