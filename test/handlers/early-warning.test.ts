import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalDelivery } from '../../src/adapters/delivery-handles.js';
import { duckDbStage1Engine } from '../../src/adapters/duckdb/stage1-reader.js';
import { localFactStore } from '../../src/adapters/local-fs/fact-store.js';
import { processDelivery } from '../../src/app/process-delivery.js';
import { createEarlyWarningHandler } from '../../src/handlers/early-warning.js';
import { createRuntime } from '../../src/handlers/runtime/runtime.js';
import { type CloudWatchServer, startCloudWatchServer } from '../helpers/cloudwatch-server.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';
import {
  consoleSends,
  SPIKE_DAY,
  scenarioConfigYaml,
  scenarioCurLines,
  scenarioDatapoints,
  scenarioDays,
  writeText,
} from '../helpers/early-warning-scenario.js';
import { fakeContext, recordingLog, recordingMetrics } from '../helpers/lambda.js';
import { dataFilePath, writeCur2Manifest, writeTinyCur2 } from '../helpers/tiny-cur.js';

const NEXT_DAY = '2026-06-11';

/**
 * Issue 14's scenario through the Lambda: the hourly early-warning handler reads the loopback CloudWatch (the
 * SDK's own wire protocol), pages on-call at 15:05 from the 14:00 hour for the research agent only; the next
 * day's CUR delivery (the CUR-delivery Lambda's processDelivery, state in DynamoDB) links its spike to the page.
 */
describe('early-warning handler with loopback CloudWatch and DynamoDB state', () => {
  let db: LocalDynamo;
  let cw: CloudWatchServer;
  let dir: string;
  let now = new Date(`${SPIKE_DAY}T00:00:00Z`);
  let runtimeOptions: Parameters<typeof createRuntime>[0];

  async function deliver(days: readonly string[], file: string) {
    const exportRoot = join(dir, 'cur', 'exp');
    await writeTinyCur2(dataFilePath(exportRoot, '2026-06', file), scenarioCurLines(days));
    const manifest = await writeCur2Manifest(exportRoot, 'exp', '2026-06', [file]);
    const runtime = createRuntime(runtimeOptions);
    const service = await runtime.serviceConfig();
    const handle = await openLocalDelivery(manifest);
    try {
      return await processDelivery(handle, {
        ingest: {
          store: runtime.store,
          ledger: runtime.ledger,
          config: service.config,
          catalog: service.catalog,
          clock: runtime.clock,
        },
        engineFor: () => ({ engine: duckDbStage1Engine(1), readsFiles: true }),
        claims: runtime.ledger,
        leaseMs: 60_000,
        notify: runtime.notifyDeps(),
        earlyWarnings: runtime.earlyWarnings,
        alerting: service.alerting,
      });
    } finally {
      await handle.dispose();
    }
  }

  function loadMetrics(until: string) {
    cw.metrics.length = 0;
    const byMetric = new Map<string, [number, number][]>();
    for (const p of scenarioDatapoints(until)) {
      const key = `${p.modelId}\u0000${p.metric}`;
      const list = byMetric.get(key) ?? [];
      list.push([Date.parse(p.timestamp), p.value]);
      byMetric.set(key, list);
    }
    for (const [key, points] of byMetric) {
      const [modelId, metric] = key.split('\u0000') as [string, string];
      cw.metrics.push({
        namespace: 'AWS/Bedrock',
        metricName: metric,
        dimensions: [{ Name: 'ModelId', Value: modelId }],
        points,
      });
    }
  }

  beforeAll(async () => {
    [db, cw] = await Promise.all([
      startDynalite(),
      startCloudWatchServer({ listPageSize: 3, datapointsPerPage: 500 }),
    ]);
    dir = await mkdtemp(join(tmpdir(), 'bc-early-warning-lambda-'));
    const config = join(dir, 'config.yaml');
    await writeText(config, scenarioConfigYaml(join(dir, 'notifications')));
    const store = join(dir, 'store');
    runtimeOptions = {
      env: {
        BEDROCK_COST_STORE: store,
        BEDROCK_COST_CONFIG: config,
        BEDROCK_COST_STATE_TABLE: db.tableName,
        BEDROCK_COST_METRIC_REGIONS: 'us-east-1',
        AWS_REGION: 'us-east-1',
      },
      store: localFactStore(store),
      clients: {
        dynamo: db.client,
        cloudWatch: (region) =>
          new CloudWatchClient({
            region,
            endpoint: cw.endpoint,
            credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
            maxAttempts: 1,
          }),
      },
      clock: () => now,
      log: recordingLog(),
      metrics: recordingMetrics(),
      workDir: join(dir, 'work'),
    };
    now = new Date(`${SPIKE_DAY}T06:00:00Z`);
    const history = await deliver(scenarioDays().slice(0, -1), 'exp-00001.snappy.parquet');
    expect(history.pages).toBe(0);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([db?.close(), cw?.close()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('pages once at 15:05 from the 14:00 hour for the research agent; the neighbour stays quiet; 16:05 adds nothing', async () => {
    const metrics = recordingMetrics();
    const handler = createEarlyWarningHandler({ ...runtimeOptions, metrics });
    loadMetrics(`${SPIKE_DAY}T14:00:00Z`);
    now = new Date(`${SPIKE_DAY}T14:05:00Z`);
    const quiet = await handler({}, fakeContext({ functionName: 'early-warning' }));
    expect(quiet.deliveries).toEqual([]);

    loadMetrics(`${SPIKE_DAY}T15:00:00Z`);
    now = new Date(`${SPIKE_DAY}T15:05:00Z`);
    const paged = await handler({}, fakeContext({ functionName: 'early-warning' }));
    expect(paged.period).toBe(`${SPIKE_DAY}T14:00:00.000Z`);
    expect(paged.deliveries.filter((d) => d.receiver === 'oncall')).toEqual([
      { receiver: 'oncall', integration: 'console', outcome: 'delivered' },
    ]);
    const oncall = await consoleSends(join(dir, 'notifications', 'oncall'));
    expect(oncall).toHaveLength(1);
    expect(oncall[0]!.group_key).toContain('research-agent');
    expect(metrics.total('EarlyWarningPages')).toBe(1);

    loadMetrics(`${SPIKE_DAY}T16:00:00Z`);
    now = new Date(`${SPIKE_DAY}T16:05:00Z`);
    const later = await handler({}, fakeContext({ functionName: 'early-warning' }));
    expect(later.deliveries.every((d) => d.outcome === 'suppressed')).toBe(true);
    // The SDK's requests: ListMetrics pages (3 metrics each) and GetMetricData with Sum per hour by ModelId.
    const get = cw.requests.filter((r) => r.target.endsWith('.GetMetricData')).at(-1)!;
    const queries = get.body.MetricDataQueries as {
      MetricStat: { Period: number; Stat: string; Metric: { Dimensions: unknown } };
    }[];
    expect(queries).toHaveLength(8);
    expect(queries[0]!.MetricStat).toMatchObject({ Period: 3600, Stat: 'Sum' });
    expect(
      cw.requests.filter((r) => r.target.endsWith('.ListMetrics') && r.body.NextToken).length,
    ).toBeGreaterThan(0);
  });

  it('the next day’s CUR delivery links the spike to the early page: no second page, estimate ÷ CUR recorded', async () => {
    // The rest of the day, judged hour by hour as the schedule would.
    const handler = createEarlyWarningHandler(runtimeOptions);
    loadMetrics(`${NEXT_DAY}T00:00:00Z`);
    for (let h = 17; h <= 24; h++) {
      now = new Date(Date.parse(`${SPIKE_DAY}T00:05:00Z`) + h * 3_600_000);
      await handler({}, fakeContext({ functionName: 'early-warning' }));
    }
    // Hours 00–13 of the spike day ran before this test's first handler: one 24-hour run records them all.
    now = new Date(`${NEXT_DAY}T00:05:00Z`);
    await handler({ hours: 24 }, fakeContext({ functionName: 'early-warning' }));

    now = new Date(`${NEXT_DAY}T06:00:00Z`);
    const cur = await deliver(scenarioDays(), 'exp-00002.snappy.parquet');
    expect(cur.pages).toBeGreaterThan(0);
    expect(cur.notify.entries.filter((e) => e.receiver === 'oncall')).toEqual([]);
    expect(await consoleSends(join(dir, 'notifications', 'oncall'))).toHaveLength(1);

    const state = await createRuntime(runtimeOptions).earlyWarnings.read();
    expect(state.pages.map((p) => [p.workload, p.day, p.hour])).toEqual([
      ['research-agent', SPIKE_DAY, `${SPIKE_DAY}T14:00:00.000Z`],
    ]);
    expect(state.confirmations).toEqual([
      expect.objectContaining({
        workload: 'research-agent',
        day: SPIKE_DAY,
        estimate: '963',
        cur: '993',
        hoursEstimated: 24,
      }),
    ]);
    expect(state.confirmations[0]!.curConditionKeys.length).toBeGreaterThan(0);
  });
});
