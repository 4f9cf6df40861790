import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../src/adapters/s3/s3-objects.js';
import {
  CONFIG_KEY,
  type HarnessServices,
  harnessEnvironment,
  ONCALL_CHANNEL,
  octoberLines,
  SECRET_ARN,
  SLACK_TOKEN,
  startHarnessServices,
  TOPIC_ARN,
} from '../helpers/harness-services.js';
import { eventBridgeBody, type ObjectRef, sqsEvent, sqsRecord } from '../helpers/lambda.js';
import {
  createLambdaSandbox,
  harnessPackage,
  type Invocation,
  type LambdaFunction,
  type LambdaSandbox,
} from '../helpers/lambda-harness.js';
import { CUR_BUCKET, FACTS_BUCKET } from '../helpers/s3rver.js';
import { writeTinyCur2 } from '../helpers/tiny-cur.js';

/**
 * The built Lambda package run the way Lambda runs it: copied out of the repository, each invocation a
 * fresh Node process (a cold start) whose imports resolve from the package alone, with Lambda's
 * environment, a read-only code directory, a private /tmp and no HOME. The AWS services and Slack are
 * loopback servers the SDKs reach through the standard endpoint variables (AWS_ENDPOINT_URL_<SERVICE>).
 */

const EXPORT = 'bedrock-export';
const EXPORT_ROOT = `cur/${EXPORT}`;
/** Lambda's memory setting with exactly one vCPU. */
const MEMORY_MB = 1769;

const logMessages = (run: Invocation) => run.logs.map((l) => String(l.message));
const logLine = (run: Invocation, message: string) => run.logs.find((l) => l.message === message);

describe('Lambda harness: the x64 package in a Lambda-like sandbox against loopback services', () => {
  let sandbox: LambdaSandbox;
  let services: HarnessServices;
  let workDir: string;
  let manifest: ObjectRef;
  let fn: (name: string) => LambdaFunction;
  const coldStarts: Record<string, number>[] = [];
  const slack = () => services.slack;
  const sns = () => services.sns;

  beforeAll(async () => {
    sandbox = createLambdaSandbox(harnessPackage());
    workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-harness-'));
    services = await startHarnessServices();
    const period = '2026-10';
    const dataKey = `${EXPORT_ROOT}/data/BILLING_PERIOD=${period}/${EXPORT}-00001.snappy.parquet`;
    const manifestKey = `${EXPORT_ROOT}/metadata/BILLING_PERIOD=${period}/${EXPORT}-Manifest.json`;
    const file = join(workDir, 'october.parquet');
    await writeTinyCur2(file, octoberLines());
    const s3 = services.s3.client;
    await s3.send(new PutObjectCommand({ Bucket: CUR_BUCKET, Key: dataKey, Body: await readFile(file) }));
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: CUR_BUCKET,
        Key: manifestKey,
        Body: JSON.stringify({
          executionId: 'exec-1',
          exportName: EXPORT,
          billingPeriod: { start: `${period}-01T00:00:00.000Z` },
          dataFiles: [`s3://${CUR_BUCKET}/${dataKey}`],
        }),
      }),
    );
    manifest = { bucket: CUR_BUCKET, key: manifestKey, etag: put.ETag ?? '' };
    const environment = harnessEnvironment(services, `s3://${CUR_BUCKET}/${EXPORT_ROOT}`);
    fn = (name) => ({
      name: `bedrock-cost-${name}`,
      handler: `dist/handlers/${name}.handler`,
      memoryMb: MEMORY_MB,
      environment,
    });
  });

  afterAll(async () => {
    if (coldStarts.length > 0) console.info(`lambda harness cold starts: ${JSON.stringify(coldStarts)}`);
    await services?.close();
    sandbox?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  const alerts = () => ({
    slack: slack().posted.filter((p) => p.channel === ONCALL_CHANNEL).length,
    sns: sns().published.filter((p) => p.attributes.severity?.value === 'page').length,
  });

  it('an SQS-wrapped CUR delivery ingests into the S3 fact store and pages once on Slack and once on SNS', async () => {
    // Act
    const run = await sandbox.invoke(
      fn('cur-delivery'),
      sqsEvent(sqsRecord(eventBridgeBody(manifest), 'm-1')),
    );

    // Assert
    expect(run.error, run.stderr).toBeUndefined();
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect(run.leak).toBeNull();
    expect(run.codeWritable).toBe(false);
    expect(run.home).toBeNull();
    if (process.getuid?.() === 0) expect(run.uid).toBe(65_534);
    expect(alerts()).toEqual({ slack: 1, sns: 1 });
    expect(slack().posted[0]?.text).toContain('search');
    expect(sns().published[0]?.topicArn).toBe(TOPIC_ARN);
    const facts = await listObjects(services.s3.client, FACTS_BUCKET, 'bedrock-cost/');
    expect(facts.some((o) => o.key.endsWith('.parquet'))).toBe(true);
    expect(logMessages(run).some((m) => m.startsWith('delivery ingested:'))).toBe(true);
    // DuckDB sized from the function's memory, its files under the function's /tmp.
    expect(logLine(run, 'duckdb configured for Lambda')).toMatchObject({
      memoryMb: MEMORY_MB,
      memoryLimitMb: 884,
      threads: 1,
      tempDirectory: join(sandbox.tmp, 'duckdb/spill'),
    });
    // Cold start: Init (process start → handler imported), then the first invocation's config and secret reads.
    const config = logLine(run, 'config loaded');
    const secret = logLine(run, 'secret read');
    expect(config?.source).toBe(`s3://${FACTS_BUCKET}/${CONFIG_KEY}`);
    expect(secret?.secret).toBe(SECRET_ARN);
    expect(services.secrets.requests).toEqual([SECRET_ARN]);
    expect(run.stdout + run.stderr).not.toContain(SLACK_TOKEN);
    coldStarts.push({
      initMs: Math.round(run.initMs),
      initCpuMs: Math.round(run.initCpuMs),
      moduleLoadMs: Math.round(run.moduleLoadMs),
      configMs: Number(config?.ms),
      secretMs: Number(secret?.ms),
      coldStartMs: Math.round(run.initMs) + Number(config?.ms) + Number(secret?.ms),
      invokeMs: Math.round(run.durationMs),
      maxRssMb: Math.round(run.maxRssKb / 1024),
    });
  });

  it('the same event again, in a new container, sends nothing', async () => {
    const before = { slack: slack().posted.length, sns: sns().published.length };

    const run = await sandbox.invoke(
      fn('cur-delivery'),
      sqsEvent(sqsRecord(eventBridgeBody(manifest), 'm-2')),
    );

    expect(run.error, run.stderr).toBeUndefined();
    expect(run.result).toEqual({ batchItemFailures: [] });
    expect({ slack: slack().posted.length, sns: sns().published.length }).toEqual(before);
    expect(logMessages(run).some((m) => m.startsWith('delivery unchanged:'))).toBe(true);
  });

  it('the weekly-digest schedule event writes the digest and delivers it to the deployment channel and topic', async () => {
    const run = await sandbox.invoke(fn('weekly-digest'), { now: '2026-10-14T08:00:00Z' });

    expect(run.error, run.stderr).toBeUndefined();
    expect(run.result).toMatchObject({ period: '2026-W41' });
    const deliveries = (run.result as { deliveries: { receiver: string; outcome: string }[] }).deliveries;
    expect(deliveries.map((d) => [d.receiver, d.outcome])).toEqual([
      ['deployment-slack', 'delivered'],
      ['deployment-sns', 'delivered'],
    ]);
    expect(slack().posted.filter((p) => p.channel === 'C0FINOPS1')).toHaveLength(1);
    expect([...slack().files.values()].some((f) => f.shared?.channel === 'C0FINOPS1')).toBe(true);
    expect(
      readdirSync(join(sandbox.tmp, 'bedrock-cost', 'reports')).some((d) => d.startsWith('digest-')),
    ).toBe(true);
  });

  it('the quarterly-review schedule event writes the review and delivers it', async () => {
    const published = sns().published.length;

    const run = await sandbox.invoke(fn('quarterly-review'), {
      now: '2026-10-15T09:00:00Z',
      quarter: '2026-Q4',
    });

    expect(run.error, run.stderr).toBeUndefined();
    expect(run.result).toMatchObject({ period: '2026-Q4' });
    const deliveries = (run.result as { deliveries: { receiver: string; outcome: string }[] }).deliveries;
    expect(deliveries.map((d) => [d.receiver, d.outcome])).toEqual([
      ['deployment-slack', 'delivered'],
      ['deployment-sns', 'delivered'],
    ]);
    expect(sns().published.length).toBe(published + 1);
    expect(
      readdirSync(join(sandbox.tmp, 'bedrock-cost', 'reports')).some((d) => d.startsWith('review-')),
    ).toBe(true);
  });

  it('ran from a read-only code directory with nothing outside the package on the import path', () => {
    const files = sandbox.taskFiles();
    expect(files).toContain('dist/handlers/cur-delivery.js');
    // Nothing written beside the code: no out/ tree, no notifications/ directory (console receivers write to /tmp).
    expect(files.some((f) => f.startsWith('out/') || f.split('/').includes('notifications'))).toBe(false);
    for (const dir of ['/tmp/node_modules', '/node_modules', join(sandbox.root, 'node_modules')]) {
      expect(existsSync(dir), dir).toBe(false);
    }
  });
});
