/**
 * Legacy CUR CSV headers (`lineItem/UsageType`, `resourceTags/user:Cost-Center`) renamed the way Athena
 * names them in the CUR table (`line_item_usage_type`, `resource_tags_user_cost_center`), so one SQL file
 * serves legacy Parquet and CSV alike.
 */
export function athenaColumnName(header: string): string {
  const slash = header.indexOf('/');
  const category = slash >= 0 ? header.slice(0, slash) : '';
  const name = slash >= 0 ? header.slice(slash + 1) : header;
  const parts = [category, name].filter((p) => p.length > 0).map(snakeCase);
  return parts.join('_').replace(/_+/g, '_').replace(/^_|_$/g, '');
}

function snakeCase(text: string): string {
  return text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
}

/** Header columns that hold timestamps in a legacy CSV (everything else stays text, cast where used). */
export const LEGACY_TIMESTAMP_COLUMNS: ReadonlySet<string> = new Set([
  'bill_billing_period_start_date',
  'bill_billing_period_end_date',
  'line_item_usage_start_date',
  'line_item_usage_end_date',
]);
