import type { DuckDb } from './duckdb.js';

/**
 * The two halves of the Bedrock line-item filter of sql/cur2/bedrock_lines.sql (a test keeps them identical
 * to the template's), one per billing path. Scanned separately, each is a conjunction DuckDB pushes into the
 * Parquet reader, which then decodes the map columns only for matching rows; the OR of both is not pushed
 * down and decodes every row's maps (measured ~0.2 s per million rows). The paths are disjoint by billing
 * entity, so their UNION ALL counts every line once.
 */
export const CUR2_FIRST_PARTY_PREDICATE = `bill_billing_entity = 'AWS'
       AND line_item_product_code IN ('AmazonBedrock', 'AmazonBedrockService',
                                      'AmazonBedrockFoundationModels', 'AmazonBedrockAgentCore')`;
export const CUR2_MARKETPLACE_PREDICATE = `bill_billing_entity = 'AWS Marketplace' AND product['product_name'] LIKE '%Bedrock%'`;

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

const TAG_PLACEHOLDERS = ['resource_tags', 'principal_tags', 'account_tags'] as const;

/**
 * Builds the tag pairs of a CUR 2.0 delivery once per distinct (resource_tags, tags) combination instead of once
 * per line item. Bedrock lines carry a handful of distinct tag maps, and the list lambdas that normalise map
 * keys are the costliest part of stage 1 when evaluated per row (measured: ~1–2 s of ~2.5 s on 57k lines).
 * Returns the relation to use as `{{source}}` and the placeholder values that read the precomputed pairs; the
 * SQL template itself is unchanged, so Athena (which fills the same template) is unaffected.
 */
export async function distinctTagPairs(
  db: DuckDb,
  source: string,
  columns: ReadonlyMap<string, string>,
  projection: Readonly<Record<string, string>>,
): Promise<{ source: string; projection: Record<string, string> }> {
  const maps = ['resource_tags', 'tags'].filter((c) => columns.get(c)?.startsWith('MAP'));
  if (maps.length === 0) return { source, projection: { ...projection } };
  // The template reads two keys of `product`; a two-field struct (same `product['…']` access) is far cheaper to
  // carry between steps than the whole map.
  const keep = CUR2_LINE_COLUMNS.filter((c) => columns.has(c))
    .map((c) =>
      c === 'product'
        ? "struct_pack(product_name := product['product_name'], region := product['region']) AS product"
        : c,
    )
    .join(', ');
  // A hash of the maps makes the join an integer hash join. Should two distinct tag maps ever share a hash, the
  // join also compares the maps themselves, so a collision can never attach another row's tags.
  const select = `SELECT ${keep}, hash(${maps.join(', ')}) AS tag_maps_hash FROM ${source}`;
  await db.run(
    `CREATE TEMP TABLE bedrock_source AS
     ${select} WHERE ${CUR2_FIRST_PARTY_PREDICATE}
     UNION ALL
     ${select} WHERE ${CUR2_MARKETPLACE_PREDICATE}`,
  );
  const pairs = TAG_PLACEHOLDERS.map((p) => `${projection[p]} AS ${p}_pairs`).join(', ');
  await db.run(
    `CREATE TEMP TABLE tag_pairs AS SELECT tag_maps_hash, ${maps.join(', ')}, ${pairs}
     FROM (SELECT DISTINCT tag_maps_hash, ${maps.join(', ')} FROM bedrock_source)`,
  );
  const [check] = await db.rows<{ collisions: bigint }>(
    'SELECT COUNT(*) - COUNT(DISTINCT tag_maps_hash) AS collisions FROM tag_pairs',
  );
  const collisions = check?.collisions ?? 0n;
  const on = [
    's.tag_maps_hash = p.tag_maps_hash',
    ...(collisions ? maps.map((m) => `s.${m} IS NOT DISTINCT FROM p.${m}`) : []),
  ].join(' AND ');
  await db.run(
    `CREATE TEMP VIEW bedrock_tagged AS
     SELECT s.* EXCLUDE (tag_maps_hash, ${maps.join(', ')}), ${TAG_PLACEHOLDERS.map((p) => `p.${p}_pairs`).join(', ')}
     FROM bedrock_source s LEFT JOIN tag_pairs p ON ${on}`,
  );
  return {
    source: 'bedrock_tagged',
    projection: { ...projection, ...Object.fromEntries(TAG_PLACEHOLDERS.map((p) => [p, `${p}_pairs`])) },
  };
}
