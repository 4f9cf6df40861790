import { z } from 'zod';
import { formatIssues } from '../../config/parse-config.js';
import { ConfigError } from '../../core/errors.js';

const optional = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const s3Uri = (what: string) =>
  z.string().regex(/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/, `an s3://bucket/prefix URI (${what})`);

/**
 * The environment the CDK stack gives the functions (infra/lib/bedrock-cost-stack.ts), parsed once per cold
 * start. Unknown variables are ignored: Lambda adds its own.
 */
export const HandlerEnvSchema = z
  .object({
    /** Fact store root: s3://facts-bucket/prefix (a local directory works for local runs). */
    BEDROCK_COST_STORE: z.string().min(1, 'the fact store root (s3://bucket/prefix)'),
    /** s3://… or ssm:/name or a path bundled in the package; unset → built-in defaults. */
    BEDROCK_COST_CONFIG: optional,
    BEDROCK_COST_STATE_TABLE: z.string().min(1, 'the DynamoDB state table name'),
    BEDROCK_COST_SNS_TOPIC_ARN: optional,
    BEDROCK_COST_SLACK_SECRET_ARN: optional,
    BEDROCK_COST_SLACK_CHANNEL: optional,
    BEDROCK_COST_ENGINE: z.enum(['duckdb', 'athena']).default('duckdb'),
    /** s3://<cur bucket>/<prefix>/<export>: manifests outside it are not this deployment's. */
    BEDROCK_COST_CUR_EXPORT: optional.pipe(s3Uri('BEDROCK_COST_CUR_EXPORT').optional()),
    BEDROCK_COST_ATHENA_WORKGROUP: optional,
    /** `<database>.<table>` of the CUR Glue table. */
    BEDROCK_COST_CUR_TABLE: optional.pipe(
      z
        .string()
        .regex(/^[A-Za-z0-9_]+\.[A-Za-z0-9_]+$/, '<database>.<table>')
        .optional(),
    ),
    BEDROCK_COST_FACTS_TABLE: optional,
    /** Comma-separated regions the quarterly review may read CloudWatch metrics in. */
    BEDROCK_COST_METRIC_REGIONS: optional.transform((v) =>
      v
        ? v
            .split(',')
            .map((r) => r.trim())
            .filter(Boolean)
        : [],
    ),
    BEDROCK_COST_S3_ENDPOINT: optional,
    /** Slack Web API base URL (default https://slack.com/api/; GovSlack: https://slack-gov.com/api/). */
    SLACK_API_URL: optional.pipe(z.url('an http(s) URL').optional()),
    /** Set by Lambda: the function's memory in MB, which sizes DuckDB (duckdb-lambda.ts). */
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: optional
      .transform((v) => (v === undefined ? undefined : Number(v)))
      .pipe(z.number().int().min(128, 'a memory size in MB (128 to 10240)').max(10_240).optional()),
    AWS_REGION: optional,
    AWS_DEFAULT_REGION: optional,
  })
  .superRefine((env, ctx) => {
    if (env.BEDROCK_COST_ENGINE !== 'athena') return;
    for (const key of ['BEDROCK_COST_ATHENA_WORKGROUP', 'BEDROCK_COST_CUR_TABLE'] as const) {
      if (!env[key])
        ctx.addIssue({ code: 'custom', path: [key], message: 'required with BEDROCK_COST_ENGINE=athena' });
    }
  });

export type HandlerEnv = z.infer<typeof HandlerEnvSchema>;

/** Parses the environment; the error lists every bad variable at once. */
export function parseHandlerEnv(env: Readonly<Record<string, string | undefined>>): HandlerEnv {
  const result = HandlerEnvSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(`invalid function environment\n${formatIssues(result.error.issues)}`);
  }
  return result.data;
}

export function regionOf(env: HandlerEnv): string {
  return env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
