import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchMetricsSource } from '../../../src/adapters/cloudwatch/metrics-source.js';
import { type CloudWatchServer, startCloudWatchServer } from '../../helpers/cloudwatch-server.js';

const ACCOUNT = '111122223333';
const LINKED = '444455556666';
const arn = (i: number) =>
  `arn:aws:bedrock:us-east-1:${ACCOUNT}:application-inference-profile/p${String(i).padStart(4, '0')}`;
const HOUR = Date.parse('2026-06-10T14:00:00Z');

/** The CloudWatch metrics source against a loopback server speaking the SDK's wire protocol (AWS JSON 1.0). */
describe('CloudWatchMetricsSource (loopback CloudWatch, AWS JSON 1.0)', () => {
  let server: CloudWatchServer;
  let client: CloudWatchClient;

  beforeEach(async () => {
    server = await startCloudWatchServer({ listPageSize: 50, datapointsPerPage: 300 });
    client = new CloudWatchClient({
      region: 'us-east-1',
      endpoint: server.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
  });
  afterEach(async () => {
    client.destroy();
    await server.close();
  });

  it('discovers ModelId metrics with paginated ListMetrics, reads them in batches of ≤ 500 queries and follows NextToken', async () => {
    // 130 profiles × 4 metrics = 520 queries: two GetMetricData batches; two hours each, 5-minute datapoints.
    for (let i = 0; i < 130; i++) {
      for (const [name, value] of [
        ['Invocations', 2],
        ['InputTokenCount', 1000 + i],
        ['OutputTokenCount', 100],
        ['CacheReadInputTokenCount', 0],
      ] as const) {
        server.metrics.push({
          namespace: 'AWS/Bedrock',
          metricName: name,
          dimensions: [{ Name: 'ModelId', Value: arn(i) }],
          points: Array.from({ length: 24 }, (_, k) => [HOUR + k * 300_000, value] as [number, number]),
        });
      }
    }
    // Metrics the source must ignore: another dimension set, a metric it does not price.
    server.metrics.push(
      { namespace: 'AWS/Bedrock', metricName: 'InputTokenCount', dimensions: [], points: [[HOUR, 5]] },
      {
        namespace: 'AWS/Bedrock',
        metricName: 'InvocationLatency',
        dimensions: [{ Name: 'ModelId', Value: arn(0) }],
        points: [[HOUR, 5]],
      },
    );
    const source = new CloudWatchMetricsSource({ regions: ['us-east-1'], clientFor: () => client });

    const points = await source.read({ from: '2026-06-10T14:00:00.000Z', to: '2026-06-10T16:00:00.000Z' });

    const lists = server.requests.filter((r) => r.target.endsWith('.ListMetrics'));
    const gets = server.requests.filter((r) => r.target.endsWith('.GetMetricData'));
    // AWS/Bedrock: 522 metrics in pages of 50 (11 pages); AWS/BedrockMantle: one empty page.
    expect(lists.map((r) => r.body.Namespace)).toEqual([
      ...Array(11).fill('AWS/Bedrock'),
      'AWS/BedrockMantle',
    ]);
    expect(lists.every((r) => r.body.IncludeLinkedAccounts === true)).toBe(true);
    const batchSizes = gets
      .filter((r) => !r.body.NextToken)
      .map((r) => (r.body.MetricDataQueries as unknown[]).length);
    expect(batchSizes).toEqual([500, 20]);
    expect(gets.some((r) => r.body.NextToken)).toBe(true);
    // Every query's two hourly Sums arrive once, whatever page they came on.
    expect(points).toHaveLength(130 * 4 * 2);
    const p7 = points.filter((p) => p.modelId === arn(7) && p.metric === 'InputTokenCount');
    expect(p7.map((p) => [p.timestamp, p.value, p.accountId, p.region])).toEqual([
      ['2026-06-10T14:00:00.000Z', 12 * 1007, ACCOUNT, 'us-east-1'],
      ['2026-06-10T15:00:00.000Z', 12 * 1007, ACCOUNT, 'us-east-1'],
    ]);
  });

  it('reads AWS/BedrockMantle at the Model level only, and asks a linked account’s metric with its AccountId', async () => {
    server.metrics.push(
      {
        namespace: 'AWS/BedrockMantle',
        metricName: 'TotalInputTokens',
        dimensions: [{ Name: 'Model', Value: 'openai.gpt-oss-120b' }],
        owningAccount: LINKED,
        points: [[HOUR, 7000]],
      },
      {
        namespace: 'AWS/BedrockMantle',
        metricName: 'TotalInputTokens',
        dimensions: [
          { Name: 'Project', Value: 'proj_1' },
          { Name: 'Model', Value: 'openai.gpt-oss-120b' },
        ],
        owningAccount: LINKED,
        points: [[HOUR, 7000]],
      },
    );
    const source = new CloudWatchMetricsSource({ regions: ['us-east-1'], clientFor: () => client });
    const points = await source.read({ from: '2026-06-10T14:00:00.000Z', to: '2026-06-10T15:00:00.000Z' });
    expect(points).toEqual([
      {
        timestamp: '2026-06-10T14:00:00.000Z',
        accountId: LINKED,
        region: 'us-east-1',
        modelId: 'openai.gpt-oss-120b',
        metric: 'TotalInputTokens',
        value: 7000,
      },
    ]);
    const get = server.requests.find((r) => r.target.endsWith('.GetMetricData'))!;
    expect((get.body.MetricDataQueries as { AccountId?: string }[])[0]!.AccountId).toBe(LINKED);
  });
});
