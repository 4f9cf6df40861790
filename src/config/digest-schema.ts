import { z } from 'zod';
import { UNALLOCATED_MODES } from '../core/digest/allocate.js';
import type { DigestOptions } from '../core/digest/weekly-digest.js';
import { COST_METRICS } from '../core/facts/fact-filters.js';
import { DEFAULT_REVIEW_OPTIONS, type ReviewOptions } from '../core/review/review-options.js';

/** Names of receivers defined in the alerting `receivers:` list. */
const ReceiverNamesSchema = z
  .array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a receiver name from receivers:'))
  .refine((v) => new Set(v).size === v.length, 'each receiver at most once')
  .default([]);

/**
 * The weekly chargeback digest (`digest weekly`).
 * @example
 * digest:
 *   unallocated: split          # or leave: untagged spend stays on its own line
 *   receivers: [finance]        # names from receivers:
 *   top_workloads: 8
 *   top_movers: 5
 *   cost_metric: unblended
 *   send_partial_weeks: false   # wait until all 7 days are final before sending
 */
export const DigestConfigSchema = z
  .object({
    /** `leave`: untagged spend is its own line; `split`: spread over workloads by their allocated spend. */
    unallocated: z.enum(UNALLOCATED_MODES).default('leave'),
    receivers: ReceiverNamesSchema,
    /** Workloads drawn as their own series in the daily chart; the rest are "other". */
    top_workloads: z.number().int().min(1).max(20).default(8),
    top_movers: z.number().int().min(1).max(50).default(5),
    cost_metric: z.enum(COST_METRICS).default('unblended'),
    /** Send a week that still has non-final days (it says so); default waits and sends once, when final. */
    send_partial_weeks: z.boolean().default(false),
    out_dir: z.string().min(1).default('out/reports'),
  })
  .strict();

const UtilizationConfigSchema = z
  .object({
    /** `cloudwatch`: GetMetricData on AWS/Bedrock per provisioned model ARN; `file`: CSV/JSON; `none`. */
    source: z.enum(['none', 'cloudwatch', 'file']).default('none'),
    file: z.string().min(1).optional(),
    /** CloudWatch period: hourly counts idle hours; daily is cheaper for many commitments. */
    period_seconds: z.union([z.literal(3600), z.literal(86400)]).default(3600),
  })
  .strict()
  .refine((u) => u.source !== 'file' || u.file !== undefined, {
    message: 'source: file needs file: <path to CSV or JSON>',
    path: ['file'],
  });

const d = DEFAULT_REVIEW_OPTIONS;

/**
 * The quarterly provisioned-commitment review (`review provisioned`).
 * @example
 * review:
 *   receivers: [finance]
 *   utilization: { source: cloudwatch }
 *   model_units:
 *     amazon.nova-2-lite: { tokens_per_minute: 150000 }
 *   min_effect_usd: 50
 */
export const ReviewConfigSchema = z
  .object({
    receivers: ReceiverNamesSchema,
    utilization: UtilizationConfigSchema.default({ source: 'none', period_seconds: 3600 }),
    /** Tokens per minute one model unit serves, per model id (not in CUR): enables PT utilization and sizing. */
    model_units: z
      .record(z.string().min(1), z.object({ tokens_per_minute: z.number().positive() }).strict())
      .default({}),
    min_effect_usd: z.number().nonnegative().default(d.minEffectUsd),
    bypass_min_usd: z.number().nonnegative().default(d.bypassMinUsd),
    headroom: z.number().min(0).max(5).default(d.headroom),
    cost_metric: z.enum(COST_METRICS).default(d.costMetric),
    send_partial_quarters: z.boolean().default(false),
    out_dir: z.string().min(1).default('out/reports'),
    candidates: z
      .object({
        min_days_fraction: z.number().gt(0).max(1).default(d.candidates.minDaysFraction),
        max_cv: z.number().nonnegative().default(d.candidates.maxCv),
        min_savings_usd: z.number().nonnegative().default(d.candidates.minSavingsUsd),
        peak_to_average: z.number().min(1).default(d.candidates.peakToAverage),
      })
      .strict()
      .default({
        min_days_fraction: d.candidates.minDaysFraction,
        max_cv: d.candidates.maxCv,
        min_savings_usd: d.candidates.minSavingsUsd,
        peak_to_average: d.candidates.peakToAverage,
      }),
  })
  .strict();

export type DigestConfig = z.infer<typeof DigestConfigSchema>;
export type ReviewConfig = z.infer<typeof ReviewConfigSchema>;

export const DEFAULT_DIGEST_CONFIG: DigestConfig = DigestConfigSchema.parse({});
export const DEFAULT_REVIEW_CONFIG: ReviewConfig = ReviewConfigSchema.parse({});

/** The two ConfigSchema keys, for `z.object({ ...DIGEST_CONFIG_SHAPE, … })`. */
export const DIGEST_CONFIG_SHAPE = {
  digest: DigestConfigSchema.default(DEFAULT_DIGEST_CONFIG),
  review: ReviewConfigSchema.default(DEFAULT_REVIEW_CONFIG),
};

export function digestOptionsOf(config: DigestConfig, finalAfterHours: number): DigestOptions {
  return {
    unallocated: config.unallocated,
    topWorkloads: config.top_workloads,
    topMovers: config.top_movers,
    costMetric: config.cost_metric,
    finalAfterHours,
  };
}

export function reviewOptionsOf(config: ReviewConfig): ReviewOptions {
  return {
    costMetric: config.cost_metric,
    modelUnitCapacity: Object.fromEntries(
      Object.entries(config.model_units).map(([model, v]) => [model, v.tokens_per_minute]),
    ),
    minEffectUsd: config.min_effect_usd,
    bypassMinUsd: config.bypass_min_usd,
    headroom: config.headroom,
    candidates: {
      minDaysFraction: config.candidates.min_days_fraction,
      maxCv: config.candidates.max_cv,
      minSavingsUsd: config.candidates.min_savings_usd,
      peakToAverage: config.candidates.peak_to_average,
    },
  };
}

/** The configured part of a scheduled-report run (CLI and Lambda alike). */
interface ReportRunConfig {
  digest: DigestConfig;
  review: ReviewConfig;
  completeness: { final_after_hours: number };
}

/** A weekly digest run's options and partial-week policy from the config. */
export function digestRunOf(config: ReportRunConfig) {
  return {
    options: digestOptionsOf(config.digest, config.completeness.final_after_hours),
    sendPartialWeeks: config.digest.send_partial_weeks,
  };
}

/** A provisioned review run's options, finality and partial-quarter policy from the config. */
export function reviewRunOf(config: ReportRunConfig) {
  return {
    options: reviewOptionsOf(config.review),
    finalAfterHours: config.completeness.final_after_hours,
    sendPartial: config.review.send_partial_quarters,
  };
}
