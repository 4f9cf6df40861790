import type { Money, Quantity } from '../money.js';

export const USAGE_KINDS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_1h',
  'provisioned_hours',
  'reserved_hours',
  'other',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

export const SERVICE_TIERS = [
  'standard',
  'priority',
  'flex',
  'batch',
  'reserved',
  'provisioned',
  'latency_optimized',
  'custom_model',
] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

export const ROUTINGS = ['in_region', 'geo', 'global'] as const;
export type Routing = (typeof ROUTINGS)[number];

export const BILLING_PATHS = ['first_party', 'marketplace'] as const;
export type BillingPath = (typeof BILLING_PATHS)[number];

export const MODEL_TIERS = ['economy', 'standard', 'premium', 'unknown'] as const;
/** haiku-like = economy, sonnet-like = standard, opus-like = premium. */
export type ModelTier = (typeof MODEL_TIERS)[number];

export const RESOURCE_KINDS = [
  'foundation-model',
  'inference-profile',
  'application-inference-profile',
  'provisioned-model',
  'custom-model',
  'imported-model',
  'other',
  'none',
] as const;
export type ResourceKind = (typeof RESOURCE_KINDS)[number];

/** Where a fact's workload attribution came from, in precedence order. */
export const ATTRIBUTION_SOURCES = ['resource_tag', 'principal_tag', 'account', 'none'] as const;
export type AttributionSource = (typeof ATTRIBUTION_SOURCES)[number];

export const UNALLOCATED = '__unallocated__';

/** Account classification used by dev-in-prod: from config, else from the account name. */
export type AccountEnvironment = 'prod' | 'non-prod' | 'unknown';

/**
 * One row of the fact store (DESIGN §5): Bedrock spend for one day × account × model × usage kind ×
 * attribution. Money and usage are exact; `tokens` is derived from usage with the row's unit multiplier.
 */
export interface DailyFact {
  usageDate: string;
  billingPeriod: string;
  payerAccount: string;
  usageAccount: string;
  usageAccountName: string;
  region: string;
  billingPath: BillingPath;
  /** Canonical model id from the catalog, `unknown:<raw>` for an unmapped model, `none` for tax and
   *  other lines that carry no model, `feature:<name>` for non-model Bedrock features (guardrails…). */
  model: string;
  modelFamily: string;
  modelProvider: string;
  modelTier: ModelTier;
  usageKind: UsageKind;
  serviceTier: ServiceTier;
  routing: Routing;
  resourceKind: ResourceKind;
  resourceId: string;
  usageType: string;
  workload: string;
  team: string;
  costCenter: string;
  environment: string;
  accountEnvironment: AccountEnvironment;
  attributionSource: AttributionSource;
  iamPrincipal: string;
  lineItemType: string;
  tokens: number;
  usageAmount: Quantity;
  pricingUnit: string;
  costUnblended: Money;
  costNet: Money;
  lineItems: number;
  sourceExport: string;
  snapshotId: string;
}
