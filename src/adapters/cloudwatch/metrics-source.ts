import {
  type CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
  type Metric,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import type { MetricsSource } from '../../app/ports/early-warning.js';
import {
  BEDROCK_MANTLE_METRICS,
  BEDROCK_MANTLE_NAMESPACE,
  BEDROCK_NAMESPACE,
  BEDROCK_RUNTIME_METRICS,
  type MetricDatapoint,
} from '../../core/early-warning/metrics.js';

/** GetMetricData accepts at most 500 queries per request. */
export const MAX_QUERIES_PER_REQUEST = 500;

/** Per namespace: the metric names read and the one dimension that names the model. */
const NAMESPACES = [
  { namespace: BEDROCK_NAMESPACE, metrics: BEDROCK_RUNTIME_METRICS, dimension: 'ModelId' },
  // The Model level only: Project+Model and Project datapoints would count the same tokens again.
  { namespace: BEDROCK_MANTLE_NAMESPACE, metrics: BEDROCK_MANTLE_METRICS, dimension: 'Model' },
] as const;

export interface CloudWatchMetricsOptions {
  clientFor: (region: string) => CloudWatchClient;
  regions: readonly string[];
  /** The account metrics belong to when neither an ARN nor CloudWatch's OwningAccounts says. */
  defaultAccount?: string | undefined;
  periodSeconds?: 300 | 3600 | undefined;
  /** Guard against a runaway loop on a misbehaving endpoint. */
  maxPages?: number | undefined;
}

interface Target {
  region: string;
  account: string;
  /** Set when CloudWatch cross-account observability says another account owns the metric. */
  linkedAccount: string | undefined;
  modelId: string;
  metric: Metric;
}

/**
 * Bedrock metrics from CloudWatch, per region: `ListMetrics` (paginated, linked accounts included) discovers
 * which model ids have `AWS/Bedrock` metrics (dimension `ModelId`) and `AWS/BedrockMantle` metrics (dimension
 * `Model`), then `GetMetricData` reads their Sum per period in batches of ≤ 500 queries, following NextToken.
 */
export class CloudWatchMetricsSource implements MetricsSource {
  readonly name = 'cloudwatch';

  constructor(private readonly options: CloudWatchMetricsOptions) {}

  async read(request: { from: string; to: string }): Promise<MetricDatapoint[]> {
    const out: MetricDatapoint[] = [];
    for (const region of [...this.options.regions].sort()) {
      const client = this.options.clientFor(region);
      const targets = await this.discover(client, region);
      for (let i = 0; i < targets.length; i += MAX_QUERIES_PER_REQUEST) {
        const batch = targets.slice(i, i + MAX_QUERIES_PER_REQUEST);
        out.push(...(await this.fetch(client, batch, request)));
      }
    }
    return out;
  }

  private async discover(client: CloudWatchClient, region: string): Promise<Target[]> {
    const targets: Target[] = [];
    for (const ns of NAMESPACES) {
      let nextToken: string | undefined;
      for (let page = 0; ; page++) {
        this.checkPages(page, 'ListMetrics');
        const response = await client.send(
          new ListMetricsCommand({
            Namespace: ns.namespace,
            IncludeLinkedAccounts: true,
            ...(nextToken ? { NextToken: nextToken } : {}),
          }),
        );
        (response.Metrics ?? []).forEach((metric, index) => {
          if (!metric.MetricName || !(metric.MetricName in ns.metrics)) return;
          const dims = metric.Dimensions ?? [];
          if (dims.length !== 1 || dims[0]!.Name !== ns.dimension || !dims[0]!.Value) return;
          const modelId = dims[0]!.Value;
          const owner = response.OwningAccounts?.[index];
          targets.push({
            region,
            account: owner ?? accountOfArn(modelId) ?? this.options.defaultAccount ?? 'unknown',
            linkedAccount: owner,
            modelId,
            metric: { Namespace: ns.namespace, MetricName: metric.MetricName, Dimensions: dims },
          });
        });
        nextToken = response.NextToken;
        if (!nextToken) break;
      }
    }
    return targets;
  }

  private async fetch(
    client: CloudWatchClient,
    targets: readonly Target[],
    request: { from: string; to: string },
  ): Promise<MetricDatapoint[]> {
    const queries: MetricDataQuery[] = targets.map((t, index) => ({
      Id: `m${index}`,
      MetricStat: { Metric: t.metric, Period: this.options.periodSeconds ?? 3600, Stat: 'Sum' },
      ReturnData: true,
      ...(t.linkedAccount ? { AccountId: t.linkedAccount } : {}),
    }));
    const out: MetricDatapoint[] = [];
    let nextToken: string | undefined;
    for (let page = 0; ; page++) {
      this.checkPages(page, 'GetMetricData');
      const response = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(request.from),
          EndTime: new Date(request.to),
          ScanBy: 'TimestampAscending',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const result of response.MetricDataResults ?? []) {
        const index = Number((result.Id ?? '').slice(1));
        const target = targets[index];
        if (!target || !/^m\d+$/.test(result.Id ?? '')) continue;
        if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
          const detail = (result.Messages ?? []).map((m) => `${m.Code}: ${m.Value}`).join('; ');
          throw new Error(
            `GetMetricData ${result.StatusCode} for ${target.metric.MetricName} of ${target.modelId} in ${target.region}${detail ? ` (${detail})` : ''}`,
          );
        }
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
          out.push({
            timestamp: new Date(timestamps[i]!).toISOString(),
            accountId: target.account,
            region: target.region,
            modelId: target.modelId,
            metric: target.metric.MetricName!,
            value: values[i]!,
          });
        }
      }
      nextToken = response.NextToken;
      if (!nextToken) break;
    }
    return out;
  }

  private checkPages(page: number, what: string): void {
    const max = this.options.maxPages ?? 1000;
    if (page >= max) throw new Error(`${what} did not finish paging after ${max} pages`);
  }
}

function accountOfArn(modelId: string): string | undefined {
  return /^arn:aws[a-z-]*:bedrock:[^:]*:(\d{12}):/.exec(modelId)?.[1];
}
