/**
 * CloudWatch metric datapoints Bedrock publishes within minutes, and their hourly sums.
 *
 * `AWS/Bedrock` (the bedrock-runtime endpoint: Converse, ConverseStream, InvokeModel,
 * InvokeModelWithResponseStream) publishes `Invocations`, `InputTokenCount`, `OutputTokenCount`,
 * `CacheReadInputTokenCount` and `CacheWriteInputTokenCount` per `ModelId`; for an application inference
 * profile or a provisioned model the `ModelId` is its ARN. `AWS/BedrockMantle` (the OpenAI-compatible
 * bedrock-mantle endpoint) publishes `Inferences`, `TotalInputTokens` and `TotalOutputTokens` at the Account,
 * Project and Model levels (dimensions `Project`, `Model`). Both are read as Sum over the period.
 */

/** Usage fields a datapoint adds to. */
export type UsageField = 'invocations' | 'input' | 'output' | 'cache_read' | 'cache_write';

/** Metric name → the usage field it sums into, per namespace. */
export const BEDROCK_RUNTIME_METRICS: Readonly<Record<string, UsageField>> = {
  Invocations: 'invocations',
  InputTokenCount: 'input',
  OutputTokenCount: 'output',
  CacheReadInputTokenCount: 'cache_read',
  CacheWriteInputTokenCount: 'cache_write',
};
export const BEDROCK_MANTLE_METRICS: Readonly<Record<string, UsageField>> = {
  Inferences: 'invocations',
  TotalInputTokens: 'input',
  TotalOutputTokens: 'output',
};
export const BEDROCK_NAMESPACE = 'AWS/Bedrock';
export const BEDROCK_MANTLE_NAMESPACE = 'AWS/BedrockMantle';

/** Every metric name the early warning reads (both namespaces). */
export const EARLY_WARNING_METRICS: Readonly<Record<string, UsageField>> = {
  ...BEDROCK_RUNTIME_METRICS,
  ...BEDROCK_MANTLE_METRICS,
};

/** One datapoint: `value` is the Sum over the period (an hour or 5 minutes) that starts at `timestamp`. */
export interface MetricDatapoint {
  /** ISO instant the period starts at. */
  timestamp: string;
  accountId: string;
  region: string;
  /** `ModelId` dimension (AWS/Bedrock: base model id, inference profile id or ARN) or `Model` (mantle). */
  modelId: string;
  metric: string;
  value: number;
}

/** One model id's usage in one UTC hour. */
export interface HourlyUsage {
  /** ISO instant of the hour's start. */
  hour: string;
  accountId: string;
  region: string;
  modelId: string;
  invocations: number;
  input: number;
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

const HOUR_MS = 3_600_000;

/** The UTC hour an instant falls in, as an ISO string. */
export function hourOf(instant: string | number): string {
  const ms = typeof instant === 'number' ? instant : Date.parse(instant);
  return new Date(Math.floor(ms / HOUR_MS) * HOUR_MS).toISOString();
}

export function addHours(hour: string, hours: number): string {
  return new Date(Date.parse(hour) + hours * HOUR_MS).toISOString();
}

/** Total tokens of an hour (every kind). */
export function tokensOf(usage: Pick<HourlyUsage, 'input' | 'output' | 'cacheRead' | 'cacheWrite'>): number {
  return usage.input + usage.output + usage.cacheRead + usage.cacheWrite;
}

const FIELD_KEY: Readonly<Record<UsageField, keyof HourlyUsage>> = {
  invocations: 'invocations',
  input: 'input',
  output: 'output',
  cache_read: 'cacheRead',
  cache_write: 'cacheWrite',
};

/**
 * Sums datapoints into UTC hours per account, region and model id (5-minute periods add up to their hour).
 * Metrics the early warning does not read are ignored; the caller validates names where a user typed them.
 */
export function hourlyUsage(points: readonly MetricDatapoint[]): HourlyUsage[] {
  const byKey = new Map<string, HourlyUsage>();
  for (const point of points) {
    const field = EARLY_WARNING_METRICS[point.metric];
    if (!field) continue;
    const hour = hourOf(point.timestamp);
    const key = `${hour}\u0000${point.accountId}\u0000${point.region}\u0000${point.modelId}`;
    let usage = byKey.get(key);
    if (!usage) {
      usage = {
        hour,
        accountId: point.accountId,
        region: point.region,
        modelId: point.modelId,
        invocations: 0,
        input: 0,
        output: 0,
        cacheRead: 0,
        cacheWrite: 0,
      };
      byKey.set(key, usage);
    }
    (usage[FIELD_KEY[field]] as number) += point.value;
  }
  return [...byKey.values()].sort((a, b) => byHourThen(a.hour, a.modelId, b.hour, b.modelId));
}

/** Order by hour, then by a second key: the order every hourly list here is kept in. */
export function byHourThen(hourA: string, keyA: string, hourB: string, keyB: string): number {
  if (hourA !== hourB) return hourA < hourB ? -1 : 1;
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0;
}
