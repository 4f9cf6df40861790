import type { DailyFact } from './daily-fact.js';

export type FactColumnKind = 'text' | 'int' | 'bigint' | 'money' | 'quantity';

export interface FactColumn {
  /** Column name in the dataset and in csv/json output (DESIGN §5, snake_case). */
  name: string;
  field: keyof DailyFact;
  kind: FactColumnKind;
}

/** The fact dataset's columns, in file order. `billing_period` is also the Hive partition folder. */
export const FACT_COLUMNS: readonly FactColumn[] = (
  [
    ['usage_date', 'usageDate', 'text'],
    ['billing_period', 'billingPeriod', 'text'],
    ['payer_account', 'payerAccount', 'text'],
    ['usage_account', 'usageAccount', 'text'],
    ['usage_account_name', 'usageAccountName', 'text'],
    ['region', 'region', 'text'],
    ['billing_path', 'billingPath', 'text'],
    ['model', 'model', 'text'],
    ['model_family', 'modelFamily', 'text'],
    ['model_provider', 'modelProvider', 'text'],
    ['model_tier', 'modelTier', 'text'],
    ['usage_kind', 'usageKind', 'text'],
    ['service_tier', 'serviceTier', 'text'],
    ['routing', 'routing', 'text'],
    ['context', 'context', 'text'],
    ['resource_kind', 'resourceKind', 'text'],
    ['resource_id', 'resourceId', 'text'],
    ['usage_type', 'usageType', 'text'],
    ['workload', 'workload', 'text'],
    ['team', 'team', 'text'],
    ['cost_center', 'costCenter', 'text'],
    ['environment', 'environment', 'text'],
    ['account_environment', 'accountEnvironment', 'text'],
    ['attribution_source', 'attributionSource', 'text'],
    ['iam_principal', 'iamPrincipal', 'text'],
    ['line_item_type', 'lineItemType', 'text'],
    ['tokens', 'tokens', 'bigint'],
    ['usage_amount', 'usageAmount', 'quantity'],
    ['pricing_unit', 'pricingUnit', 'text'],
    ['cost_unblended', 'costUnblended', 'money'],
    ['cost_net', 'costNet', 'money'],
    ['line_items', 'lineItems', 'int'],
    ['source_export', 'sourceExport', 'text'],
    ['snapshot_id', 'snapshotId', 'text'],
  ] as const
).map(([name, field, kind]) => ({ name, field, kind }));

/** Columns a report may group by: every descriptive (text) column. */
export const GROUPABLE_COLUMNS: readonly string[] = FACT_COLUMNS.filter((c) => c.kind === 'text').map(
  (c) => c.name,
);

export function factColumn(name: string): FactColumn | undefined {
  return FACT_COLUMNS.find((c) => c.name === name);
}
