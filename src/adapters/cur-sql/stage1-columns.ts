import type { Stage1Row, TagPairs } from '../../core/normalize/stage1-row.js';
import { fillTemplate, loadSql } from './sql-files.js';

/**
 * How a stage-1 output column reaches `Stage1Row`: `text` never NULL, `nullable` text or NULL, `tags` a JSON
 * array of [key, value] pairs, `decimal` an exact decimal text, `count` an integer.
 */
export type Stage1ColumnKind = 'text' | 'nullable' | 'tags' | 'decimal' | 'count';

/**
 * The stage-1 output columns, in order: the 19 grouping columns of sql/stage1_groups.sql, then the sums and the
 * line count. The one list both engines' SQL (SELECT lists, GROUP BY, ORDER BY) and the row converter derive from.
 */
export const STAGE1_COLUMNS = [
  { name: 'usage_date', field: 'usageDate', kind: 'text' },
  { name: 'billing_period', field: 'billingPeriod', kind: 'text' },
  { name: 'payer_account', field: 'payerAccount', kind: 'text' },
  { name: 'usage_account', field: 'usageAccount', kind: 'text' },
  { name: 'usage_account_name', field: 'usageAccountName', kind: 'nullable' },
  { name: 'billing_entity', field: 'billingEntity', kind: 'text' },
  { name: 'product_code', field: 'productCode', kind: 'text' },
  { name: 'product_name', field: 'productName', kind: 'nullable' },
  { name: 'region', field: 'region', kind: 'nullable' },
  { name: 'usage_type', field: 'usageType', kind: 'text' },
  { name: 'operation', field: 'operation', kind: 'nullable' },
  { name: 'pricing_unit', field: 'pricingUnit', kind: 'nullable' },
  { name: 'item_description', field: 'itemDescription', kind: 'nullable' },
  { name: 'resource_id', field: 'resourceId', kind: 'nullable' },
  { name: 'line_item_type', field: 'lineItemType', kind: 'text' },
  { name: 'iam_principal', field: 'iamPrincipal', kind: 'nullable' },
  { name: 'resource_tags', field: 'resourceTags', kind: 'tags' },
  { name: 'principal_tags', field: 'principalTags', kind: 'tags' },
  { name: 'account_tags', field: 'accountTags', kind: 'tags' },
  { name: 'usage_amount', field: 'usageAmount', kind: 'decimal' },
  { name: 'cost_unblended', field: 'costUnblended', kind: 'decimal' },
  { name: 'cost_net', field: 'costNet', kind: 'decimal' },
  { name: 'line_items', field: 'lineItems', kind: 'count' },
] as const satisfies readonly { name: string; field: keyof Stage1Row; kind: Stage1ColumnKind }[];

export type Stage1Column = (typeof STAGE1_COLUMNS)[number];
export type Stage1ColumnName = Stage1Column['name'];

/** The grouping columns (a group's identity), in output order. */
export const STAGE1_GROUP_COLUMNS: readonly Stage1ColumnName[] = STAGE1_COLUMNS.filter(
  (c) => c.kind !== 'decimal' && c.kind !== 'count',
).map((c) => c.name);

/** The summed columns: exact decimals and the line count. */
export const STAGE1_SUM_COLUMNS: readonly Stage1ColumnName[] = STAGE1_COLUMNS.filter(
  (c) => c.kind === 'decimal' || c.kind === 'count',
).map((c) => c.name);

export const STAGE1_TAG_COLUMNS = ['resource_tags', 'principal_tags', 'account_tags'] as const;
export type Stage1TagColumn = (typeof STAGE1_TAG_COLUMNS)[number];

/** The grouping columns a row's classification depends on: all but the day and the period. */
export const STAGE1_CLASS_COLUMNS: readonly Stage1ColumnName[] = STAGE1_GROUP_COLUMNS.filter(
  (c) => c !== 'usage_date' && c !== 'billing_period',
);

/**
 * The order stage 2 wants the rows in: rows of one classification together (stage 2 classifies a run of them
 * once), each run by day. Every grouping column takes part, so the order is total.
 */
export const STAGE1_ROW_ORDER: readonly Stage1ColumnName[] = [
  ...STAGE1_CLASS_COLUMNS,
  'usage_date',
  'billing_period',
];

/**
 * sql/stage1_groups.sql over `lines` (a relation with the bedrock_lines.sql columns), the same text on both engines:
 * the groups and the per-period totals in one pass. `lineCount` counts the lines of a
 * group: `SUM(line_items)` when `lines` holds lines already grouped (with a `line_items` count).
 */
export function stage1GroupsSql(lines: string, lineCount = 'COUNT(*)'): string {
  return fillTemplate(loadSql('stage1_groups.sql'), {
    lines,
    group_columns: STAGE1_GROUP_COLUMNS.join(', '),
    line_count: lineCount,
  });
}

export interface Stage1ConverterOptions {
  /** A decimal's text as `Stage1Row` carries it (DuckDB's DECIMAL(38,15) text); identity when it already is. */
  decimal?: (text: string | null) => string;
  /** The pairs a tag column's value stands for; default: the value is their JSON text. */
  tagPairs?: (column: Stage1TagColumn, value: string | null) => TagPairs;
}

/**
 * Converts one stage-1 row given as text values in `STAGE1_COLUMNS` order (both engines hand rows over as text)
 * to a `Stage1Row`. Each distinct tag-pair text is parsed once and its pairs shared by every row that has it.
 */
export function stage1RowConverter(
  options: Stage1ConverterOptions = {},
): (values: readonly (string | null)[]) => Stage1Row {
  const decimal = options.decimal ?? ((text: string | null) => text ?? '0');
  const tags = options.tagPairs ?? jsonTagPairs();
  const i = COLUMN_INDEX;
  // One object literal: every row gets the same shape (built key by key, the rows were dictionaries, ~5× slower).
  return (v) => ({
    usageDate: v[i.usageDate] as string,
    billingPeriod: v[i.billingPeriod] as string,
    payerAccount: v[i.payerAccount] as string,
    usageAccount: v[i.usageAccount] as string,
    usageAccountName: v[i.usageAccountName] ?? null,
    billingEntity: v[i.billingEntity] as string,
    productCode: v[i.productCode] as string,
    productName: v[i.productName] ?? null,
    region: v[i.region] ?? null,
    usageType: v[i.usageType] as string,
    operation: v[i.operation] ?? null,
    pricingUnit: v[i.pricingUnit] ?? null,
    itemDescription: v[i.itemDescription] ?? null,
    resourceId: v[i.resourceId] ?? null,
    lineItemType: v[i.lineItemType] as string,
    iamPrincipal: v[i.iamPrincipal] ?? null,
    resourceTags: tags('resource_tags', v[i.resourceTags] ?? null),
    principalTags: tags('principal_tags', v[i.principalTags] ?? null),
    accountTags: tags('account_tags', v[i.accountTags] ?? null),
    usageAmount: decimal(v[i.usageAmount] ?? null),
    costUnblended: decimal(v[i.costUnblended] ?? null),
    costNet: decimal(v[i.costNet] ?? null),
    lineItems: Number(v[i.lineItems] ?? '0'),
  });
}

/** Each `Stage1Row` field's position in `STAGE1_COLUMNS`. */
const COLUMN_INDEX = Object.fromEntries(STAGE1_COLUMNS.map((c, index) => [c.field, index])) as Record<
  keyof Stage1Row,
  number
>;

/** Tag pairs from their JSON text, each distinct text parsed once. */
export function jsonTagPairs(): (column: Stage1TagColumn, json: string | null) => TagPairs {
  const parsed = new Map<string, TagPairs>();
  return (_column, json) => {
    if (!json) return [];
    let known = parsed.get(json);
    if (known === undefined) {
      known = JSON.parse(json) as [string, string][];
      parsed.set(json, known);
    }
    return known;
  };
}

// Every Stage1Row field has its column (a field missing from the table fails to compile here).
const EVERY_FIELD_HAS_A_COLUMN: Record<Exclude<keyof Stage1Row, Stage1Column['field']>, never> = {};
void EVERY_FIELD_HAS_A_COLUMN;
