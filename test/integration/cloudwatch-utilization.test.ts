import {
  CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CloudWatchUtilizationSource } from '../../src/adapters/cloudwatch/utilization-source.js';
import type { UtilizationTarget } from '../../src/core/review/utilization.js';

const ARN = 'arn:aws:bedrock:us-east-1:111111111111:provisioned-model/pt-docs';
const target = (commitmentId: string, modelId = commitmentId, region = 'us-east-1'): UtilizationTarget => ({
  commitmentId,
  modelId,
  region,
  account: '111111111111',
  model: 'amazon.nova-2-lite',
});
const REQUEST = { from: '2026-06-01T00:00:00.000Z', to: '2026-06-02T00:00:00.000Z' };
const hour = (h: number) => new Date(Date.UTC(2026, 5, 1, h));

describe('CloudWatch utilization source (GetMetricData via aws-sdk-client-mock)', () => {
  const cw = mockClient(CloudWatchClient);
  afterEach(() => cw.reset());

  function source(period: 3600 | 86400 = 3600) {
    const regions: string[] = [];
    const client = new CloudWatchClient({
      region: 'us-east-1',
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
    });
    return {
      regions,
      source: new CloudWatchUtilizationSource({
        periodSeconds: period,
        clientFor: (region) => {
          regions.push(region);
          return client;
        },
      }),
    };
  }

  it('asks for Invocations, InputTokenCount and OutputTokenCount by ModelId = the provisioned model ARN', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { source: s } = source();
    await s.read({ targets: [target(ARN)], ...REQUEST });
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input as GetMetricDataCommandInput;
    expect(input.StartTime).toEqual(new Date(REQUEST.from));
    expect(input.EndTime).toEqual(new Date(REQUEST.to));
    expect(input.ScanBy).toBe('TimestampAscending');
    expect(input.NextToken).toBeUndefined();
    expect(input.MetricDataQueries).toEqual(
      ['Invocations', 'InputTokenCount', 'OutputTokenCount'].map((name) => ({
        Id: expect.stringMatching(/^[a-z][a-zA-Z0-9_]*$/),
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Bedrock',
            MetricName: name,
            Dimensions: [{ Name: 'ModelId', Value: ARN }],
          },
          Period: 3600,
          Stat: 'Sum',
        },
        ReturnData: true,
      })),
    );
  });

  it('follows NextToken, joining a query’s datapoints across pages', async () => {
    cw.on(GetMetricDataCommand)
      .resolvesOnce({
        MetricDataResults: [
          {
            Id: 't0_invocations',
            StatusCode: 'PartialData',
            Timestamps: [hour(0), hour(1)],
            Values: [10, 12],
          },
          { Id: 't0_inputtokens', StatusCode: 'PartialData', Timestamps: [hour(0)], Values: [1000] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        MetricDataResults: [
          { Id: 't0_invocations', StatusCode: 'Complete', Timestamps: [hour(2)], Values: [0] },
          { Id: 't0_inputtokens', StatusCode: 'Complete', Timestamps: [hour(1), hour(2)], Values: [1200, 0] },
          {
            Id: 't0_outputtokens',
            StatusCode: 'Complete',
            Timestamps: [hour(0), hour(1), hour(2)],
            Values: [100, 120, 0],
          },
        ],
      });
    const { source: s } = source();
    const [series] = await s.read({ targets: [target(ARN)], ...REQUEST });
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]!.args[0].input.NextToken).toBe('page-2');
    expect(calls[1]!.args[0].input.MetricDataQueries).toEqual(calls[0]!.args[0].input.MetricDataQueries);
    expect(series).toEqual({
      commitmentId: ARN,
      source: 'cloudwatch',
      points: [
        {
          start: hour(0).toISOString(),
          periodSeconds: 3600,
          invocations: 10,
          inputTokens: 1000,
          outputTokens: 100,
        },
        {
          start: hour(1).toISOString(),
          periodSeconds: 3600,
          invocations: 12,
          inputTokens: 1200,
          outputTokens: 120,
        },
        // A real zero datapoint is a measured idle hour.
        {
          start: hour(2).toISOString(),
          periodSeconds: 3600,
          invocations: 0,
          inputTokens: 0,
          outputTokens: 0,
        },
      ],
    });
  });

  it('leaves missing datapoints out (unknown), never zero-filled; a metric missing at a timestamp is null', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 't0_invocations', StatusCode: 'Complete', Timestamps: [hour(5)], Values: [3] },
        { Id: 't0_inputtokens', StatusCode: 'Complete', Timestamps: [], Values: [] },
        { Id: 't0_outputtokens', StatusCode: 'Complete', Timestamps: [hour(5)], Values: [40] },
      ],
    });
    const { source: s } = source();
    const [series] = await s.read({ targets: [target(ARN)], ...REQUEST });
    expect(series!.points).toEqual([
      {
        start: hour(5).toISOString(),
        periodSeconds: 3600,
        invocations: 3,
        inputTokens: null,
        outputTokens: 40,
      },
    ]);
  });

  it('batches at most 500 queries per request, per region, and skips targets without a model ARN', async () => {
    cw.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const { source: s, regions } = source(86400);
    const many = Array.from({ length: 170 }, (_, i) => target(`${ARN}-${i}`));
    const west = target('arn:aws:bedrock:us-west-2:111111111111:provisioned-model/w', undefined, 'us-west-2');
    const reserved = target('111111111111/us-east-1/anthropic.claude-sonnet-4-6#reserved-input-geo');
    const out = await s.read({ targets: [...many, west, reserved], ...REQUEST });
    const calls = cw.commandCalls(GetMetricDataCommand);
    expect(calls.map((c) => c.args[0].input.MetricDataQueries!.length)).toEqual([498, 12, 3]);
    expect(
      calls.every((c) => c.args[0].input.MetricDataQueries!.every((q) => q.MetricStat!.Period === 86400)),
    ).toBe(true);
    expect(regions).toEqual(['us-east-1', 'us-west-2']);
    expect(out).toHaveLength(171);
    expect(out.find((u) => u.commitmentId === reserved.commitmentId)).toBeUndefined();
  });

  it('fails loudly on Forbidden results so the review reports the source, not idle commitments', async () => {
    cw.on(GetMetricDataCommand).resolves({
      MetricDataResults: [
        { Id: 't0_invocations', StatusCode: 'Forbidden', Messages: [{ Code: 'AccessDenied', Value: 'no' }] },
      ],
    });
    const { source: s } = source();
    await expect(s.read({ targets: [target(ARN)], ...REQUEST })).rejects.toThrow(/Forbidden.*AccessDenied/);
  });

  it('propagates SDK errors (throttling) to the caller', async () => {
    cw.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    );
    const { source: s } = source();
    await expect(s.read({ targets: [target(ARN)], ...REQUEST })).rejects.toThrow('Rate exceeded');
  });
});
