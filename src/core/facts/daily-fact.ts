import type { Money, Quantity } from '../money.js';

/**
 * What a line bills. Token kinds carry a token count; cache writes are split by their TTL (`cache_write` is the
 * default 5-minute write). The non-token kinds (images, seconds, guardrail units, …) never carry tokens.
 */
export const USAGE_KINDS = [
  'input',
  'output',
  'cache_read',
  'cache_write',
  'cache_write_30m',
  'cache_write_1h',
  'provisioned_hours',
  'reserved_hours',
  'image_generation',
  'video_generation',
  'media_input',
  'guardrail',
  'knowledge_base',
  'agentcore',
  'customization_training',
  'customization_storage',
  'web_search',
  'rerank',
  'data_automation',
  'other',
] as const;
export type UsageKind = (typeof USAGE_KINDS)[number];

/** Prompt-cache writes of every TTL. */
export const CACHE_WRITE_USAGE_KINDS: ReadonlySet<UsageKind> = new Set([
  'cache_write',
  'cache_write_30m',
  'cache_write_1h',
]);

/** Usage kinds that count tokens; every other kind has `tokens` 0. */
export const TOKEN_USAGE_KINDS: ReadonlySet<UsageKind> = new Set([
  'input',
  'output',
  'cache_read',
  ...CACHE_WRITE_USAGE_KINDS,
]);

/** Whether a line was billed at the long-context rate (above the model's standard window). */
export const CONTEXT_WINDOWS = ['standard', 'long'] as const;
export type ContextWindow = (typeof CONTEXT_WINDOWS)[number];

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
  // Non-token Bedrock lines: from the ARN when it names them, else from the usage type.
  'guardrail',
  'knowledge-base',
  'agent',
  'agentcore',
  'flow',
  'data-automation',
  'customization',
  'media-generation',
  'feature',
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
  /** `long` when the usage type bills the long-context rate. */
  context: ContextWindow;
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
