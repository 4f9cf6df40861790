/**
 * One stage-1 group: the output of the engine-specific SQL in `sql/<format>/stage1.sql`, identical for
 * DuckDB and Athena. No business logic has been applied yet; money and usage are exact decimal strings.
 */
export interface Stage1Row {
  /** UTC day of line_item_usage_start_date, YYYY-MM-DD. */
  usageDate: string;
  /** YYYY-MM of bill_billing_period_start_date. */
  billingPeriod: string;
  payerAccount: string;
  usageAccount: string;
  usageAccountName: string | null;
  /** 'AWS' (first party) or 'AWS Marketplace'. */
  billingEntity: string;
  productCode: string;
  productName: string | null;
  /** product region code or region name (us-east-1), when present. */
  region: string | null;
  usageType: string;
  operation: string | null;
  pricingUnit: string | null;
  /** line_item_line_item_description; Marketplace rows carry the unit in its third `|` field. */
  itemDescription: string | null;
  resourceId: string | null;
  /** Usage, Credit, Tax, Refund, Fee, ... */
  lineItemType: string;
  iamPrincipal: string | null;
  /** Resource / inference-profile cost-allocation tags whose normalised key is a configured key. */
  resourceTags: TagPairs;
  /** iamPrincipal/* tags (principal and session tags), same key normalisation. */
  principalTags: TagPairs;
  /** accountTag/* tags, same key normalisation. */
  accountTags: TagPairs;
  /** Σ line_item_usage_amount, exact decimal string. */
  usageAmount: string;
  /** Σ line_item_unblended_cost, exact decimal string. */
  costUnblended: string;
  /** Σ line_item_net_unblended_cost (falls back to unblended where the column is absent). */
  costNet: string;
  /** Number of CUR line items in the group. */
  lineItems: number;
}

/**
 * Tag pairs as [normalisedKey, value], sorted. A key is normalised by lower-casing and removing every
 * character that is not a-z or 0-9, so `CostCenter`, `cost_center` and `cost-center` all read `costcenter`.
 * Keys may repeat (two raw spellings of one key); the first non-empty value wins.
 */
export type TagPairs = readonly (readonly [string, string])[];

/** The normalisation applied to tag keys in SQL and in configuration alike. */
export function normaliseTagKey(key: string): string {
  return key.toLowerCase().replace(/[^a-z0-9]/g, '');
}
