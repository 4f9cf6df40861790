import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody, startLoopbackServer } from './loopback-server.js';

/**
 * A loopback stand-in for the CloudWatch API as @aws-sdk/client-cloudwatch 3.1162 speaks it: the AWS JSON 1.0
 * protocol (POST /, `Content-Type: application/x-amz-json-1.0`, `X-Amz-Target:
 * GraniteServiceVersion20100801.<Operation>`, timestamps as epoch seconds) with awsQueryCompatible errors.
 * It implements the two operations the early warning calls:
 * - `ListMetrics` (Namespace filter, `IncludeLinkedAccounts` → OwningAccounts), `listPageSize` metrics per page;
 * - `GetMetricData` with MetricStat queries (Stat `Sum`, Period), ≤ 500 queries per request (more is
 *   rejected as the real service does), `datapointsPerPage` datapoints per page with NextToken.
 */
export interface StoredMetric {
  namespace: string;
  metricName: string;
  dimensions: { Name: string; Value: string }[];
  /** Account that owns the metric (cross-account observability); absent: the caller's own. */
  owningAccount?: string;
  /** Datapoints: epoch ms → value, summed into periods on read. */
  points: [number, number][];
}

export interface CloudWatchServer {
  endpoint: string;
  metrics: StoredMetric[];
  requests: { target: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

interface MetricStatQuery {
  Id: string;
  MetricStat: {
    Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string; Value: string }[] };
    Period: number;
    Stat: string;
  };
  ReturnData?: boolean;
  AccountId?: string;
}

const sameDims = (
  a: readonly { Name: string; Value: string }[],
  b: readonly { Name: string; Value: string }[],
) => a.length === b.length && a.every((d) => b.some((e) => e.Name === d.Name && e.Value === d.Value));

export async function startCloudWatchServer(
  options: { listPageSize?: number; datapointsPerPage?: number } = {},
): Promise<CloudWatchServer> {
  const metrics: StoredMetric[] = [];
  const requests: CloudWatchServer['requests'] = [];
  const listPageSize = options.listPageSize ?? 500;
  const perPage = options.datapointsPerPage ?? 100_800;

  const reply = (res: ServerResponse, status: number, body: unknown, errorType?: string) => {
    res.writeHead(status, {
      'content-type': 'application/x-amz-json-1.0',
      ...(errorType ? { 'x-amzn-query-error': `${errorType};Sender` } : {}),
    });
    res.end(JSON.stringify(body));
  };
  const fail = (res: ServerResponse, type: string, message: string) =>
    reply(res, 400, { __type: `com.amazonaws.cloudwatch#${type}`, message }, type);

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const contentType = String(req.headers['content-type'] ?? '');
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    requests.push({ target, body });
    if (req.method !== 'POST' || !contentType.startsWith('application/x-amz-json-1.0'))
      return fail(
        res,
        'InvalidParameterValue',
        `expected POST application/x-amz-json-1.0, got ${req.method} ${contentType}`,
      );
    if (!String(req.headers.authorization ?? '').startsWith('AWS4-HMAC-SHA256'))
      return fail(res, 'MissingAuthenticationToken', 'request is not SigV4-signed');
    switch (target) {
      case 'GraniteServiceVersion20100801.ListMetrics': {
        const namespace = body.Namespace as string | undefined;
        const matching = metrics.filter((m) => !namespace || m.namespace === namespace);
        const start = body.NextToken ? Number(body.NextToken) : 0;
        const page = matching.slice(start, start + listPageSize);
        const next = start + listPageSize < matching.length ? String(start + listPageSize) : undefined;
        return reply(res, 200, {
          Metrics: page.map((m) => ({
            Namespace: m.namespace,
            MetricName: m.metricName,
            Dimensions: m.dimensions,
          })),
          ...(body.IncludeLinkedAccounts
            ? { OwningAccounts: page.map((m) => m.owningAccount ?? '111122223333') }
            : {}),
          ...(next ? { NextToken: next } : {}),
        });
      }
      case 'GraniteServiceVersion20100801.GetMetricData': {
        const queries = (body.MetricDataQueries ?? []) as MetricStatQuery[];
        if (queries.length > 500)
          return fail(
            res,
            'InvalidParameterValue',
            `The collection MetricDataQueries must not have a size greater than 500.`,
          );
        const startMs = Number(body.StartTime) * 1000;
        const endMs = Number(body.EndTime) * 1000;
        // Every (query, period) datapoint in order, then one page of them.
        const all: { id: string; ts: number; value: number }[] = [];
        for (const q of queries) {
          if (q.MetricStat.Stat !== 'Sum')
            return fail(res, 'InvalidParameterValue', `only Sum is served, got ${q.MetricStat.Stat}`);
          const period = q.MetricStat.Period * 1000;
          const sums = new Map<number, number>();
          for (const m of metrics) {
            if (
              m.namespace !== q.MetricStat.Metric.Namespace ||
              m.metricName !== q.MetricStat.Metric.MetricName
            )
              continue;
            if (!sameDims(m.dimensions, q.MetricStat.Metric.Dimensions ?? [])) continue;
            if (q.AccountId && (m.owningAccount ?? '111122223333') !== q.AccountId) continue;
            for (const [ts, value] of m.points) {
              if (ts < startMs || ts >= endMs) continue;
              const bucket = Math.floor(ts / period) * period;
              sums.set(bucket, (sums.get(bucket) ?? 0) + value);
            }
          }
          for (const [ts, value] of [...sums.entries()].sort((a, b) => a[0] - b[0]))
            all.push({ id: q.Id, ts, value });
        }
        const start = body.NextToken ? Number(body.NextToken) : 0;
        const page = all.slice(start, start + perPage);
        const next = start + perPage < all.length ? String(start + perPage) : undefined;
        return reply(res, 200, {
          MetricDataResults: queries.map((q) => {
            const mine = page.filter((p) => p.id === q.Id);
            return {
              Id: q.Id,
              Label: q.MetricStat.Metric.MetricName,
              Timestamps: mine.map((p) => p.ts / 1000),
              Values: mine.map((p) => p.value),
              StatusCode: next ? 'PartialData' : 'Complete',
            };
          }),
          ...(next ? { NextToken: next } : {}),
          Messages: [],
        });
      }
      default:
        return fail(res, 'InvalidAction', `unknown operation ${target}`);
    }
  };
  const server = await startLoopbackServer(handle);
  return { endpoint: `http://127.0.0.1:${server.port}`, metrics, requests, close: server.close };
}
