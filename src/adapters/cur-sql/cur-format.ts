import { InputError } from '../../core/errors.js';

export type CurFormat = 'cur2' | 'legacy';

/** Columns every Bedrock fact needs; without one the file cannot be ingested. */
const REQUIRED_COMMON = [
  'bill_billing_entity',
  'bill_payer_account_id',
  'bill_billing_period_start_date',
  'line_item_usage_account_id',
  'line_item_usage_start_date',
  'line_item_product_code',
  'line_item_usage_type',
  'line_item_line_item_type',
  'line_item_usage_amount',
  'line_item_unblended_cost',
] as const;

export const REQUIRED_COLUMNS: Readonly<Record<CurFormat, readonly string[]>> = {
  cur2: [...REQUIRED_COMMON, 'product'],
  legacy: [...REQUIRED_COMMON, 'product_product_name'],
};

/** CUR 2.0 has a `product` MAP column; legacy CUR flattens it into `product_*` columns. */
export function detectCurFormat(file: string, columns: ReadonlyMap<string, string>): CurFormat {
  if (columns.has('product') && columns.get('product')?.startsWith('MAP')) return 'cur2';
  if (columns.has('product_product_name')) return 'legacy';
  if (columns.has('line_item_usage_type')) {
    throw new InputError(
      `${file}: has CUR line-item columns but neither a "product" MAP column (CUR 2.0) nor "product_product_name" (legacy CUR)`,
    );
  }
  // A header DuckDB could not split is one long name: show the start of each, never kilobytes of it.
  const sample = [...columns.keys()]
    .slice(0, 6)
    .map((c) => (c.length > 60 ? `${c.slice(0, 60)}…` : c))
    .join(', ');
  throw new InputError(
    `${file}: not a Cost and Usage Report: expected columns such as line_item_usage_type and bill_billing_entity, found ${sample || 'no columns'}`,
  );
}

export function checkRequiredColumns(
  file: string,
  format: CurFormat,
  columns: ReadonlyMap<string, string>,
): void {
  const missing = REQUIRED_COLUMNS[format].filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new InputError(
      `${file}: missing required column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (${format === 'cur2' ? 'CUR 2.0' : 'legacy CUR'})`,
    );
  }
}
