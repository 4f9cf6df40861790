import type { CurFormat } from './cur-format.js';
import { exactDecimalSql } from './exact-decimal.js';
import { fillTemplate } from './sql-files.js';

const NULL_TEXT = 'CAST(NULL AS VARCHAR)';
const NO_TAGS = "'[]'";

/** SQL (DuckDB dialect) for the normalised tag key: lower-case, only a-z and 0-9. */
const normKey = (expr: string) => `regexp_replace(lower(${expr}), '[^a-z0-9]', '', 'g')`;

/**
 * Fills the placeholders of `sql/<format>/bedrock_lines.sql` from the columns the delivery actually has,
 * so schema drift (an export without resource ids, IAM principals, account names or a tag key never
 * activated) reads as NULL / no tags instead of failing. `tagKeys` are normalised configured tag keys.
 */
export function lineProjection(
  format: CurFormat,
  columns: ReadonlyMap<string, string>,
  tagKeys: readonly string[],
): Record<string, string> {
  const column = (name: string, fallback = NULL_TEXT) => (columns.has(name) ? name : fallback);
  const decimal = (name: string) => exactDecimalSql(name, columns.get(name));
  const common = {
    operation: column('line_item_operation'),
    pricing_unit: column('pricing_unit'),
    item_description: column('line_item_line_item_description'),
    resource_id: column('line_item_resource_id'),
    usage_amount: decimal('line_item_usage_amount'),
    cost_unblended: decimal('line_item_unblended_cost'),
    cost_net: decimal(
      columns.has('line_item_net_unblended_cost')
        ? 'line_item_net_unblended_cost'
        : 'line_item_unblended_cost',
    ),
    region_code: column('product_region_code'),
  };
  const keyList = tagKeys.map((k) => `'${k.replace(/[^a-z0-9]/g, '')}'`).join(', ') || "''";
  if (format === 'legacy') {
    return {
      ...common,
      region_name: column('product_region'),
      resource_tags: legacyTagColumns(columns, keyList),
    };
  }
  const hasTags = columns.get('tags')?.startsWith('MAP') ?? false;
  const hasResourceTags = columns.get('resource_tags')?.startsWith('MAP') ?? false;
  const fromResourceTags = hasResourceTags ? mapPairs('resource_tags', "'user_'", keyList) : null;
  const fromTags = (prefix: string) => (hasTags ? mapPairs('tags', prefix, keyList) : null);
  return {
    ...common,
    usage_account_name: column('line_item_usage_account_name'),
    iam_principal: column('line_item_iam_principal'),
    ...DUCKDB_PRODUCT_FIELDS,
    ...cur2TagColumns(fromResourceTags, fromTags, pairsJson),
  };
}

/**
 * The CUR 2.0 `product` map's fields a line projection reads, with the engine's map lookup: DuckDB's `m['k']`
 * is NULL on a missing key, where Trino's fails (Athena uses `element_at`).
 */
export function cur2ProductFields(lookup: (map: string, key: string) => string) {
  return { product_name: lookup('product', 'product_name'), product_region: lookup('product', 'region') };
}

/** The product fields in DuckDB's dialect (also what its early Bedrock filter reads, adapters/duckdb/bedrock-scan.ts). */
export const DUCKDB_PRODUCT_FIELDS = cur2ProductFields((map, key) => `${map}['${key}']`);

/**
 * The CUR 2.0 tag columns of a line projection (DuckDB and Athena alike): resource tags from `resource_tags`
 * and the `tags` map's resource-tag prefixes, principal tags and account tags, each a JSON list of pairs.
 */
export function cur2TagColumns(
  fromResourceTags: string | null,
  fromTags: (prefix: string) => string | null,
  pairsJson: (parts: readonly (string | null)[]) => string,
) {
  return {
    resource_tags: pairsJson([
      fromResourceTags,
      fromTags("'resourceTags/user:'"),
      fromTags("'resourceTags/'"),
    ]),
    principal_tags: pairsJson([fromTags("'iamPrincipal/'")]),
    account_tags: pairsJson([fromTags("'accountTag/'")]),
  };
}

/** [normalised key, value] pairs of a MAP column's entries under a key prefix, for configured keys only. */
function mapPairs(mapColumn: string, prefix: string, keyList: string): string {
  const rest = `substr(e.key, length(${prefix}) + 1)`;
  // `resourceTags/` also covers `resourceTags/user:`; skip those here so a tag is not read twice, and
  // skip AWS-generated `aws:` tags.
  const exclude =
    prefix === "'resourceTags/'"
      ? " AND NOT starts_with(e.key, 'resourceTags/user:') AND NOT starts_with(e.key, 'resourceTags/aws:')"
      : '';
  return (
    `list_transform(list_filter(map_entries(${mapColumn}), e -> starts_with(e.key, ${prefix})${exclude}` +
    ` AND COALESCE(e.value, '') <> '' AND ${normKey(rest)} IN (${keyList})), e -> [${normKey(rest)}, e.value])`
  );
}

function pairsJson(parts: readonly (string | null)[]): string {
  const present = parts.filter((p): p is string => p !== null);
  if (present.length === 0) return NO_TAGS;
  const concatenated = present.reduce((acc, part) => `list_concat(${acc}, ${part})`);
  return `CAST(to_json(list_sort(${concatenated})) AS VARCHAR)`;
}

/**
 * The legacy CUR's `resource_tags_user_*` columns whose normalised key is wanted, sorted by column name
 * (DuckDB and Athena alike).
 */
export function legacyTagColumnKeys(
  columns: ReadonlyMap<string, string>,
  wanted: ReadonlySet<string>,
): { name: string; key: string }[] {
  const prefix = 'resource_tags_user_';
  return [...columns.keys()]
    .filter((name) => name.startsWith(prefix))
    .map((name) => ({
      name,
      key: name
        .slice(prefix.length)
        .toLowerCase()
        .replace(/[^a-z0-9]/g, ''),
    }))
    .filter(({ key }) => wanted.has(key))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
}

function legacyTagColumns(columns: ReadonlyMap<string, string>, keyList: string): string {
  const wanted = new Set(keyList.split(', ').map((k) => k.slice(1, -1)));
  const pairs = legacyTagColumnKeys(columns, wanted).map(
    ({ name, key }) => `['${key}', CAST("${name}" AS VARCHAR)]`,
  );
  if (pairs.length === 0) return NO_TAGS;
  return `CAST(to_json(list_sort(list_filter([${pairs.join(', ')}], p -> COALESCE(p[2], '') <> ''))) AS VARCHAR)`;
}

/**
 * `sql/<format>/bedrock_lines.sql` turned inside out for one pass over every line of `source` (the legacy CSV read
 * of adapters/duckdb/stage1-reader.ts: a CSV costs a full parse per pass, so the Bedrock lines and the delivery's
 * statistics come from the same one). Each of the template's columns is computed on Bedrock lines only and is NULL
 * on the others (a CASE evaluates its branch on the matching lines alone, so per-line work such as the tag pairs
 * stays on Bedrock lines); `pass_bedrock` tells them apart, by the template's own WHERE filter; `extra` (SELECT-list
 * items over the CUR's columns, each named `pass_…`) is carried on every line. `values` fills the placeholders.
 *
 * The template holds one `<expression> AS <column>` per line between its SELECT and its FROM, and ends with its
 * WHERE filter, as the legacy template does; a template of another shape is refused here.
 */
export function everyLineSql(
  template: string,
  values: Readonly<Record<string, string>>,
  extra: string,
): string {
  const lines = template.split('\n');
  const select = lines.indexOf('SELECT');
  const from = lines.findIndex((line) => line.startsWith('FROM '));
  const where = lines.findIndex((line) => line.startsWith('WHERE '));
  if (select < 0 || from !== where - 1 || where < select) {
    throw new Error('bedrock_lines template: expected SELECT, one column per line, FROM, then WHERE');
  }
  const items = lines.slice(select + 1, from).map((line) => {
    const match = /^\s*(.+) AS (\w+),?$/.exec(line);
    if (!match) throw new Error(`bedrock_lines template: cannot read the column line "${line.trim()}"`);
    return `CASE WHEN pass_bedrock THEN ${match[1]} END AS ${match[2]}`;
  });
  const source = lines[from]!.slice('FROM '.length);
  const filter = lines.slice(where).join('\n').slice('WHERE '.length);
  return fillTemplate(
    `SELECT ${items.join(', ')}, COLUMNS('^pass_')
     FROM (SELECT *, COALESCE(${filter}, false) AS pass_bedrock, ${extra} FROM ${source})`,
    values,
  );
}
