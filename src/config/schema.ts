import { z } from 'zod';
import { ATTRIBUTION_LAYERS, DEFAULT_ENVIRONMENT_WORDS } from '../core/normalize/attribution.js';
import { AlertingConfigSchema, checkAlertingReferences } from './alerting-schema.js';
import { DIGEST_CONFIG_SHAPE } from './digest-schema.js';
import {
  CompletenessSchema,
  DEFAULT_COMPLETENESS,
  DEFAULT_RULES,
  MaxFindingsSchema,
  RulesSchema,
} from './rules-schema.js';

const accountId = z.string().regex(/^\d{12}$/, 'a 12-digit AWS account id');

const tagKeyList = z.array(z.string().min(1)).min(1);

/** Tag keys read for each attribution field; matched case-insensitively, ignoring `-`, `_` and spaces. */
export const TagKeysSchema = z
  .object({
    workload: tagKeyList.default(['workload', 'application', 'app']),
    team: tagKeyList.default(['team', 'owner']),
    cost_center: tagKeyList.default(['costcenter', 'cost_center', 'cost-center']),
    environment: tagKeyList.default(['environment', 'env', 'stage']),
  })
  .strict();

export const AttributionSchema = z
  .object({
    tag_keys: TagKeysSchema.default(TagKeysSchema.parse({})),
    /** Which source wins when several carry a value: inference-profile/resource tags, then IAM principal
     *  tags, then the account defaults. Each field is resolved independently. */
    precedence: z
      .array(z.enum(ATTRIBUTION_LAYERS))
      .min(1)
      .refine((v) => new Set(v).size === v.length, 'each layer at most once')
      .default([...ATTRIBUTION_LAYERS]),
  })
  .strict();

export const AccountSchema = z
  .object({
    name: z.string().optional(),
    environment: z.enum(['prod', 'non-prod']).optional(),
    workload: z.string().optional(),
    team: z.string().optional(),
    cost_center: z.string().optional(),
  })
  .strict();

/** How an account name maps to prod / non-prod when the account has no explicit `environment`. */
export const EnvironmentsSchema = z
  .object({
    prod: z.array(z.string()).default([...DEFAULT_ENVIRONMENT_WORDS.prod]),
    non_prod: z.array(z.string()).default([...DEFAULT_ENVIRONMENT_WORDS.non_prod]),
  })
  .strict();

/** Extra entries for the model catalog, merged over the bundled one (same shape as catalog/models.json). */
export const ModelEntrySchema = z
  .object({
    id: z.string().min(1),
    family: z.string().min(1),
    provider: z.string().min(1),
    tier: z.enum(['economy', 'standard', 'premium']),
    usage_type_tokens: z.array(z.string()).default([]),
    marketplace_names: z.array(z.string()).default([]),
  })
  .strict();

/** Ingest safeguards (`ingest:`). */
export const IngestConfigSchema = z
  .object({
    /**
     * A delivery that would shrink a stored (export, billing period)'s Bedrock cost by more than this share
     * (0.5 = by more than half), or to zero, is held, not applied (`ingest --accept-shrink` applies it).
     */
    hold_shrink_share: z.number().gt(0).max(1).default(0.5),
  })
  .strict();

/**
 * Early warning from CloudWatch (`early_warning:`): hourly thresholds over Bedrock's metrics, priced at the
 * effective rates observed in CUR. Mapped onto core's EarlyWarningOptions by `earlyWarningOptionsOf`.
 */
export const EarlyWarningConfigSchema = z
  .object({
    /** Page when a workload's estimated hourly spend ≥ this × its same-hour-of-week baseline … */
    spend_ratio: z.number().gt(1).default(3),
    /** … and ≥ this many US dollars in the hour. */
    min_hourly_spend_usd: z.number().nonnegative().default(10),
    /** Warn when tokens per invocation of a model id ≥ this × its median over the previous 7 days. */
    tokens_per_invocation_ratio: z.number().gt(1).default(3),
    /** Hours with fewer invocations are not judged for tokens per invocation. */
    min_invocations: z.number().int().positive().default(10),
    /** Same-hour-of-week baseline: median over this many previous weeks of metrics. */
    baseline_weeks: z.number().int().min(1).max(12).default(4),
    /** Minutes after an hour ends before it is judged: CloudWatch datapoints arrive within minutes. */
    settle_minutes: z.number().int().min(0).max(60).default(5),
    /** Regions whose metrics `--cloudwatch` and the hourly Lambda read (default: the function's / CLI's region). */
    regions: z.array(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region like us-east-1')).default([]),
    /** Account the metrics belong to when CloudWatch does not say (no cross-account observability link). */
    account_id: accountId.optional(),
  })
  .strict();

export const ConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    attribution: AttributionSchema.default(AttributionSchema.parse({})),
    accounts: z.record(accountId, AccountSchema).default({}),
    environments: EnvironmentsSchema.default(EnvironmentsSchema.parse({})),
    models: z.array(ModelEntrySchema).default([]),
    /**
     * `catalog.overlay`: a catalog file in the schema of catalog/models.json (a local path, relative to the
     * working directory or the Lambda package, or `s3://bucket/key`), merged over the bundled catalog and
     * under `models:`. `bedrock-cost catalog update` writes it from the AWS Price List.
     */
    catalog: z
      .object({ overlay: z.string().min(1).optional() })
      .strict()
      .default({}),
    /** Tier of a model by its id or by its family (`anthropic.claude-opus-5: premium`, `grok: economy`); wins
     *  over the catalog's tier and the tier derived from a model's family words. */
    model_tiers: z.record(z.string().min(1), z.enum(['economy', 'standard', 'premium'])).default({}),
    /** Anomaly rules (DESIGN §6); omitted → every rule type with its default thresholds. */
    rules: RulesSchema.default(() => DEFAULT_RULES.map((rule) => structuredClone(rule))),
    completeness: CompletenessSchema.default(DEFAULT_COMPLETENESS),
    max_findings: MaxFindingsSchema,
    ingest: IngestConfigSchema.default(IngestConfigSchema.parse({})),
    early_warning: EarlyWarningConfigSchema.default(EarlyWarningConfigSchema.parse({})),
    /** Alertmanager-style routes, receivers, owners, silences and inhibition (DESIGN §3.6). */
    ...AlertingConfigSchema.shape,
    /** Weekly chargeback digest and quarterly provisioned-commitment review (`digest:`, `review:`). */
    ...DIGEST_CONFIG_SHAPE,
  })
  .strict()
  .superRefine((config, ctx) => checkAlertingReferences(config, ctx));

export type Config = z.infer<typeof ConfigSchema>;
export type AttributionConfig = z.infer<typeof AttributionSchema>;
export type AccountConfig = z.infer<typeof AccountSchema>;
export type ModelEntry = z.infer<typeof ModelEntrySchema>;

export const DEFAULT_CONFIG: Config = ConfigSchema.parse({});
