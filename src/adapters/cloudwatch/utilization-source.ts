import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import type { UtilizationSource } from '../../app/ports/reports.js';
import type {
  CommitmentUtilization,
  UtilizationPoint,
  UtilizationTarget,
} from '../../core/review/utilization.js';

/** The metrics the review reads, by the field they fill. */
export const BEDROCK_METRICS = {
  invocations: 'Invocations',
  inputTokens: 'InputTokenCount',
  outputTokens: 'OutputTokenCount',
} as const;
type Field = keyof typeof BEDROCK_METRICS;
const FIELDS = Object.keys(BEDROCK_METRICS) as Field[];

/** GetMetricData accepts at most 500 queries per request. */
const MAX_QUERIES_PER_REQUEST = 500;

export interface CloudWatchUtilizationOptions {
  /** A client for the commitment's region: Bedrock metrics are regional. */
  clientFor: (region: string) => CloudWatchClient;
  /** Hourly by default, so idle hours can be counted; 86400 for daily sums. */
  periodSeconds?: 3600 | 86400 | undefined;
  /** Guard against a runaway loop on a misbehaving endpoint. */
  maxPages?: number | undefined;
}

/**
 * Utilization from CloudWatch `AWS/Bedrock` with GetMetricData: `Invocations`, `InputTokenCount` and
 * `OutputTokenCount` summed per period, dimension `ModelId` = the provisioned model ARN. Pages with NextToken
 * (a page can carry part of one query's datapoints; they are concatenated). A period with no datapoint is
 * left out — unknown, never zero: Bedrock emits nothing for a period without calls, and an endpoint that
 * is not publishing looks the same.
 *
 * Commitments without a provisioned model ARN (Reserved tier, or CUR without resource ids) are not queried:
 * no `ModelId` names them alone.
 */
export class CloudWatchUtilizationSource implements UtilizationSource {
  readonly name = 'cloudwatch';

  constructor(private readonly options: CloudWatchUtilizationOptions) {}

  async read(request: {
    targets: readonly UtilizationTarget[];
    from: string;
    to: string;
  }): Promise<CommitmentUtilization[]> {
    const period = this.options.periodSeconds ?? 3600;
    const queryable = request.targets.filter((t) => t.modelId.startsWith('arn:'));
    const byRegion = new Map<string, UtilizationTarget[]>();
    for (const t of queryable) {
      const list = byRegion.get(t.region) ?? [];
      list.push(t);
      byRegion.set(t.region, list);
    }
    const out: CommitmentUtilization[] = [];
    const perRequest = Math.floor(MAX_QUERIES_PER_REQUEST / FIELDS.length);
    for (const [region, targets] of [...byRegion.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const client = this.options.clientFor(region);
      for (let i = 0; i < targets.length; i += perRequest) {
        const batch = targets.slice(i, i + perRequest);
        const results = await this.fetch(client, batch, request.from, request.to, period);
        batch.forEach((target, index) => {
          out.push({
            commitmentId: target.commitmentId,
            source: 'cloudwatch',
            points: toPoints(index, results, period),
          });
        });
      }
    }
    return out;
  }

  private async fetch(
    client: CloudWatchClient,
    targets: readonly UtilizationTarget[],
    from: string,
    to: string,
    period: number,
  ): Promise<Map<string, { timestamps: Date[]; values: number[] }>> {
    const queries: MetricDataQuery[] = targets.flatMap((target, index) =>
      FIELDS.map((field) => ({
        Id: queryId(index, field),
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Bedrock',
            MetricName: BEDROCK_METRICS[field],
            Dimensions: [{ Name: 'ModelId', Value: target.modelId }],
          },
          Period: period,
          Stat: 'Sum',
        },
        ReturnData: true,
      })),
    );
    const results = new Map<string, { timestamps: Date[]; values: number[] }>();
    let nextToken: string | undefined;
    const maxPages = this.options.maxPages ?? 1000;
    for (let page = 0; ; page++) {
      if (page >= maxPages) throw new Error(`GetMetricData did not finish paging after ${maxPages} pages`);
      const response = await client.send(
        new GetMetricDataCommand({
          MetricDataQueries: queries,
          StartTime: new Date(from),
          EndTime: new Date(to),
          ScanBy: 'TimestampAscending',
          ...(nextToken ? { NextToken: nextToken } : {}),
        }),
      );
      for (const result of response.MetricDataResults ?? []) collect(results, result);
      nextToken = response.NextToken;
      if (!nextToken) break;
    }
    return results;
  }
}

function queryId(index: number, field: Field): string {
  // Ids must start with a lowercase letter and hold only letters, digits and underscores.
  return `t${index}_${field.toLowerCase()}`;
}

function collect(
  results: Map<string, { timestamps: Date[]; values: number[] }>,
  result: MetricDataResult,
): void {
  if (!result.Id) return;
  if (result.StatusCode === 'Forbidden' || result.StatusCode === 'InternalError') {
    const detail = (result.Messages ?? []).map((m) => `${m.Code}: ${m.Value}`).join('; ');
    throw new Error(
      `GetMetricData ${result.StatusCode} for ${result.Label ?? result.Id}${detail ? ` (${detail})` : ''}`,
    );
  }
  const entry = results.get(result.Id) ?? { timestamps: [], values: [] };
  const timestamps = result.Timestamps ?? [];
  const values = result.Values ?? [];
  for (let i = 0; i < Math.min(timestamps.length, values.length); i++) {
    entry.timestamps.push(new Date(timestamps[i]!));
    entry.values.push(values[i]!);
  }
  results.set(result.Id, entry);
}

function toPoints(
  index: number,
  results: Map<string, { timestamps: Date[]; values: number[] }>,
  period: number,
): UtilizationPoint[] {
  const points = new Map<string, UtilizationPoint>();
  for (const field of FIELDS) {
    const series = results.get(queryId(index, field));
    if (!series) continue;
    series.timestamps.forEach((ts, i) => {
      const start = ts.toISOString();
      const point = points.get(start) ?? {
        start,
        periodSeconds: period,
        invocations: null,
        inputTokens: null,
        outputTokens: null,
      };
      // A metric missing at a timestamp another metric has stays null (unknown).
      point[field] = (point[field] ?? 0) + series.values[i]!;
      points.set(start, point);
    });
  }
  return [...points.values()].sort((a, b) => (a.start < b.start ? -1 : 1));
}
