import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listObjects } from '../../src/adapters/s3/s3-objects.js';
import { createSnsClient } from '../../src/adapters/sns/sns-notifier.js';
import { createCurDeliveryHandler } from '../../src/handlers/cur-delivery.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';
import { pagingConfig } from '../helpers/harness-services.js';
import {
  eventBridgeBody,
  fakeContext,
  type ObjectRef,
  recordingLog,
  recordingMetrics,
  s3NotificationBody,
  sqsEvent,
  sqsRecord,
} from '../helpers/lambda.js';
import { CUR_BUCKET, FACTS_BUCKET, type LocalS3, startS3rver } from '../helpers/s3rver.js';
import { type FakeSlackServer, startSlackServer } from '../helpers/slack-server.js';
import { type FakeSnsServer, startSnsServer } from '../helpers/sns-server.js';
import { monthOfLines as month, type TinyLine, writeTinyCur2 } from '../helpers/tiny-cur.js';

/**
 * The whole event-driven loop on loopback: s3rver holds the CUR export and the fact store, dynalite the
 * state table, and local servers speak the Slack Web API and the SNS Query API. The cur-delivery handler is
 * invoked in-process with the SQS events S3 → EventBridge → SQS would deliver for the objects put.
 */

const EXPORT = 'bedrock-export';
const EXPORT_ROOT = `cur/${EXPORT}`;
const TOPIC_ARN = 'arn:aws:sns:us-east-1:111111111111:bedrock-cost-alerts';
const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:bedrock-cost-slack-AbCdEf';
const SLACK_TOKEN = 'xoxb-1111-2222-loopbacktoken';
const CHANNEL = '#bedrock-oncall';
const CONFIG_KEY = 'bedrock-cost/config/bedrock-cost.yaml';
const NOW = new Date('2026-11-02T06:00:00Z');

const dataKey = (period: string) =>
  `${EXPORT_ROOT}/data/BILLING_PERIOD=${period}/${EXPORT}-00001.snappy.parquet`;
const manifestKey = (period: string) =>
  `${EXPORT_ROOT}/metadata/BILLING_PERIOD=${period}/${EXPORT}-Manifest.json`;

describe('event-driven loop on loopback (s3rver, dynalite, Slack and SNS protocol servers)', () => {
  let s3: LocalS3;
  let db: LocalDynamo;
  let slack: FakeSlackServer;
  let sns: FakeSnsServer;
  let workDir: string;
  let secrets: SecretsManagerClient;
  let secretsMock: ReturnType<typeof mockClient>;
  const logs: ReturnType<typeof recordingLog>[] = [];
  const metrics = recordingMetrics();

  /** A fresh handler is a fresh Lambda container: its own runtime, clients and caches. */
  function newHandler() {
    const log = recordingLog();
    logs.push(log);
    const handler = createCurDeliveryHandler({
      env: {
        BEDROCK_COST_STORE: `s3://${FACTS_BUCKET}/bedrock-cost`,
        BEDROCK_COST_CONFIG: `s3://${FACTS_BUCKET}/${CONFIG_KEY}`,
        BEDROCK_COST_STATE_TABLE: db.tableName,
        BEDROCK_COST_SNS_TOPIC_ARN: TOPIC_ARN,
        BEDROCK_COST_SLACK_SECRET_ARN: SECRET_ARN,
        BEDROCK_COST_ENGINE: 'duckdb',
        BEDROCK_COST_CUR_EXPORT: `s3://${CUR_BUCKET}/${EXPORT_ROOT}`,
        BEDROCK_COST_S3_ENDPOINT: s3.endpoint,
        AWS_REGION: 'us-east-1',
        HOME: workDir,
      },
      clients: {
        s3: s3.newClient(),
        dynamo: db.client,
        sns: createSnsClient({
          endpoint: sns.endpoint,
          region: 'us-east-1',
          credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        }),
        secretsManager: secrets,
      },
      slackApiUrl: slack.apiUrl,
      clock: () => NOW,
      log,
      metrics,
      workDir: join(workDir, 'lambda-tmp'),
    });
    return { handler, log };
  }

  async function put(key: string, body: string | Buffer): Promise<ObjectRef> {
    const out = await s3.client.send(new PutObjectCommand({ Bucket: CUR_BUCKET, Key: key, Body: body }));
    return { bucket: CUR_BUCKET, key, etag: out.ETag ?? '' };
  }

  /** Data file first, then the manifest that lists it (the order AWS writes a delivery in). */
  async function deliver(period: string, lines: TinyLine[], executionId: string): Promise<ObjectRef> {
    const file = join(workDir, `${period}-${executionId}.parquet`);
    await writeTinyCur2(file, lines);
    await put(dataKey(period), await readFile(file));
    return put(
      manifestKey(period),
      JSON.stringify({
        executionId,
        exportName: EXPORT,
        billingPeriod: { start: `${period}-01T00:00:00.000Z` },
        dataFiles: [`s3://${CUR_BUCKET}/${dataKey(period)}`],
      }),
    );
  }

  const pages = () => ({ slack: slack.posted.length, sns: sns.published.length });

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-loopback-'));
    [s3, db, slack, sns] = await Promise.all([
      startS3rver(),
      startDynalite(),
      startSlackServer({ token: SLACK_TOKEN }),
      startSnsServer(),
    ]);
    for (const endpoint of [s3.endpoint, db.endpoint, sns.endpoint, slack.apiUrl]) {
      expect(new URL(endpoint).hostname).toBe('127.0.0.1');
    }
    secrets = new SecretsManagerClient({ region: 'us-east-1' });
    secretsMock = mockClient(secrets);
    secretsMock
      .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
      .resolves({ SecretString: `${SLACK_TOKEN}\n` });
    await s3.client.send(
      new PutObjectCommand({
        Bucket: FACTS_BUCKET,
        Key: CONFIG_KEY,
        Body: pagingConfig(join(workDir, 'findings-log')),
      }),
    );
  });

  afterAll(async () => {
    secretsMock?.restore();
    await Promise.all([s3?.close(), db?.close(), slack?.close(), sns?.close()]);
    await rm(workDir, { recursive: true, force: true });
  });

  let v1: ObjectRef;
  let v2: ObjectRef;

  it('a delivery pages once on Slack and SNS for the final day with a spend spike', async () => {
    // Prepare: Oct 1–13; search spikes on the 11th (final: usage reaches the 14th 00:00, 48 h after its end),
    // support-bot on the 12th (not final yet: a provisional warning, which never pages).
    v1 = await deliver(
      '2026-10',
      month('2026-10', 13, { search: { 11: '400' }, 'support-bot': { 12: '400' } }),
      'exec-1',
    );
    const { handler, log } = newHandler();

    // Act
    const response = await handler(sqsEvent(sqsRecord(eventBridgeBody(v1), 'v1')), fakeContext());

    // Assert
    expect(response.batchItemFailures).toEqual([]);
    expect(pages()).toEqual({ slack: 1, sns: 1 });
    const post = slack.posted[0]!;
    expect(post.token).toBe(SLACK_TOKEN);
    expect(post.body.channel).toBe(CHANNEL);
    expect(String(post.body.text)).toContain('search');
    const published = sns.published[0]!;
    expect(published.topicArn).toBe(TOPIC_ARN);
    expect(published.attributes.workload?.value).toBe('search');
    expect(published.attributes.severity?.value).toBe('page');
    const event = JSON.parse(published.message);
    // One alert group per workload (the condition, not the day: issue 12).
    expect(event.payload.custom_details.group_labels).toEqual({ workload: 'search' });
    expect(event.event_action).toBe('trigger');
    // The provisional support-bot spike went to the file receiver only.
    const logged = await readFile(join(workDir, 'findings-log', 'sent.jsonl'), 'utf8');
    expect(logged).toContain('support-bot');
    // The group is the workload's; the provisional day is in the message the receiver wrote.
    const entry = JSON.parse(
      logged
        .trim()
        .split('\n')
        .find((l) => l.includes('support-bot'))!,
    );
    expect(await readFile(entry.file, 'utf8')).toContain('2026-10-12');
    const processed = log.lines.find((l) => l.message.startsWith('delivery ingested:'));
    expect(processed?.extra).toMatchObject({ export: EXPORT, periods: ['2026-10'], pages: 1 });
  });

  it('the same event again (EventBridge twice in a batch, then as an S3 notification) sends nothing new', async () => {
    // Prepare
    const { handler } = newHandler();
    const before = pages();

    // Act
    const first = await handler(
      sqsEvent(sqsRecord(eventBridgeBody(v1), 'dup-1'), sqsRecord(eventBridgeBody(v1), 'dup-2')),
      fakeContext(),
    );
    const second = await handler(sqsEvent(sqsRecord(s3NotificationBody(v1), 'dup-3')), fakeContext());

    // Assert
    expect(first.batchItemFailures).toEqual([]);
    expect(second.batchItemFailures).toEqual([]);
    expect(pages()).toEqual(before);
    const unchanged = logs.at(-1)!.lines.filter((l) => l.message.startsWith('delivery unchanged:'));
    expect(unchanged).toHaveLength(3);
  });

  it('the month re-delivered with one more day pages the newly final spike once, even when two containers race', async () => {
    // Prepare: Oct 1–14; the 14th makes the 12th final, so support-bot's spike now pages; search's does not repeat.
    v2 = await deliver(
      '2026-10',
      month('2026-10', 14, { search: { 11: '400' }, 'support-bot': { 12: '400' } }),
      'exec-2',
    );
    const before = pages();
    const a = newHandler();
    const b = newHandler();

    // Act: the event delivered twice at once, to two containers.
    const results = await Promise.all([
      a.handler(sqsEvent(sqsRecord(eventBridgeBody(v2), 'v2-a')), fakeContext()),
      b.handler(sqsEvent(sqsRecord(eventBridgeBody(v2), 'v2-b')), fakeContext()),
    ]);
    const failed = results.flatMap((r: SQSBatchResponse) => r.batchItemFailures.map((f) => f.itemIdentifier));
    // A loser that found the ingest claimed is redelivered later, when it is a no-op.
    const redelivered = await Promise.all(
      failed.map((id) => newHandler().handler(sqsEvent(sqsRecord(eventBridgeBody(v2), id)), fakeContext())),
    );

    // Assert
    for (const id of failed) {
      const lines = [...a.log.lines, ...b.log.lines].filter(
        (l) => l.extra?.messageId === id && l.level !== 'debug',
      );
      expect(lines.at(-1)?.level).toBe('warn');
      expect(String(lines.at(-1)?.extra?.error)).toContain('DeliveryInProgressError');
    }
    expect(redelivered.flatMap((r) => r.batchItemFailures)).toEqual([]);
    // support-bot's spike pages once; search's one-day spike has now ended (the 12th is final without it), so
    // its condition resolves once, with the same dedup key, which closes the incident in PagerDuty / Opsgenie.
    expect(pages()).toEqual({ slack: before.slack + 2, sns: before.sns + 2 });
    const messages = sns.published.map((p) => JSON.parse(p.message));
    const fresh = messages.slice(before.sns);
    const trigger = fresh.find((m) => m.event_action === 'trigger');
    const resolve = fresh.find((m) => m.event_action === 'resolve');
    expect(trigger.payload.custom_details.group_labels).toEqual({ workload: 'support-bot' });
    expect(resolve.payload.custom_details.group_labels).toEqual({ workload: 'search' });
    expect(resolve.dedup_key).toBe(messages[0].dedup_key);
    expect(slack.posted.slice(before.slack).some((p) => String(p.body.text).includes('support-bot'))).toBe(
      true,
    );
    // Each group is paged (triggered) exactly once over the whole run.
    const triggered = messages
      .filter((m) => m.event_action === 'trigger')
      .map((m) => JSON.stringify(m.payload.custom_details.group_labels));
    expect(new Set(triggered).size).toBe(triggered.length);
  });

  it('a poisoned delivery fails alone, naming the object, while a good one in the same batch succeeds', async () => {
    // Prepare: August's data file is not Parquet; September is a quiet month leading into October.
    const poisonedFile = await put(dataKey('2026-08'), Buffer.from('PAR1 this is not a parquet file PAR1'));
    const poisoned = await put(
      manifestKey('2026-08'),
      JSON.stringify({
        executionId: 'exec-8',
        exportName: EXPORT,
        dataFiles: [`s3://${CUR_BUCKET}/${poisonedFile.key}`],
      }),
    );
    const good = await deliver('2026-09', month('2026-09', 30, { search: {}, 'support-bot': {} }), 'exec-9');
    const before = pages();
    const { handler, log } = newHandler();

    // Act
    const response = await handler(
      sqsEvent(sqsRecord(eventBridgeBody(poisoned), 'poisoned'), sqsRecord(eventBridgeBody(good), 'good')),
      fakeContext(),
    );
    // SQS redelivers the poisoned message until maxReceiveCount sends it to the DLQ: it must fail the same way.
    const retry = await handler(sqsEvent(sqsRecord(eventBridgeBody(poisoned), 'poisoned')), fakeContext());

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'poisoned' }]);
    expect(retry.batchItemFailures).toEqual([{ itemIdentifier: 'poisoned' }]);
    const failures = log.lines.filter((l) => l.level === 'error');
    expect(failures).toHaveLength(2);
    for (const failure of failures) {
      expect(failure.message).toBe(`delivery failed: s3://${CUR_BUCKET}/${poisoned.key}`);
      expect(String(failure.extra?.error)).toContain(`s3://${CUR_BUCKET}/${poisonedFile.key}`);
      expect(String(failure.extra?.error)).not.toContain('DeliveryInProgressError');
    }
    expect(pages()).toEqual(before);
    const facts = await listObjects(s3.client, FACTS_BUCKET, 'bedrock-cost/facts/');
    expect(facts.map((o) => o.key)).toEqual([
      `bedrock-cost/facts/billing_period=2026-09/${EXPORT}.parquet`,
      `bedrock-cost/facts/billing_period=2026-10/${EXPORT}.parquet`,
    ]);
    // The good delivery is in the ledger; the poisoned one left no claim behind.
    const doc = DynamoDBDocumentClient.from(db.client);
    const ledgerItem = async (key: string) =>
      (
        await doc.send(
          new GetCommand({ TableName: db.tableName, Key: { pk: `ingest#s3://${CUR_BUCKET}/${key}` } }),
        )
      ).Item;
    expect(await ledgerItem(good.key)).toMatchObject({
      status: 'COMPLETED',
      entry: { billingPeriods: ['2026-09'] },
    });
    expect(await ledgerItem(poisoned.key)).toBeUndefined();
  });

  it('kept the token out of every log line, read the secret once per container, and counted the sends', async () => {
    const all = logs.map((l) => l.text()).join('\n');
    expect(all).not.toContain(SLACK_TOKEN);
    // One read per container that posted to Slack (the cache holds it for the others' later invocations).
    expect(secretsMock.commandCalls(GetSecretValueCommand).length).toBeLessThanOrEqual(logs.length);
    expect(secretsMock.commandCalls(GetSecretValueCommand).length).toBeGreaterThanOrEqual(1);
    const fileSends = (await readFile(join(workDir, 'findings-log', 'sent.jsonl'), 'utf8'))
      .trim()
      .split('\n');
    expect(metrics.total('NotificationsSent')).toBe(
      slack.posted.length + sns.published.length + fileSends.length,
    );
    expect(metrics.total('NotificationOutcomeUnknown')).toBe(0);
    expect(metrics.total('DeliveriesFailed')).toBeGreaterThanOrEqual(2);
  });
});
