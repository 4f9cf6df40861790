import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3FactStore } from '../../src/adapters/s3/fact-store.js';
import { createCurDeliveryHandler } from '../../src/handlers/cur-delivery.js';
import { type LocalDynamo, startDynalite } from '../helpers/dynalite.js';
import {
  eventBridgeBody,
  fakeContext,
  type ObjectRef,
  recordingLog,
  recordingMetrics,
  sqsEvent,
  sqsRecord,
} from '../helpers/lambda.js';
import { CUR_BUCKET, FACTS_BUCKET, type LocalS3, startS3rver } from '../helpers/s3rver.js';
import { bedrockUsage, monthSpanning, type TinyLine, writeTinyCur2 } from '../helpers/tiny-cur.js';

/**
 * The cur-delivery handler on loopback (s3rver, dynalite; findings to a file receiver): the completeness
 * watermark ignores month-spanning tax and fee lines, and a shrinking re-delivery is held, reported as a
 * warning finding and a metric, never silently applied.
 */

const EXPORT = 'bedrock-export';
const EXPORT_ROOT = `cur/${EXPORT}`;
const CONFIG_KEY = 'bedrock-cost/config/bedrock-cost.yaml';
// Mid-month: the delivery reaches Oct 14 00:00.
const NOW = new Date('2026-10-14T06:00:00Z');
const PERIOD = '2026-10';
const dataKey = `${EXPORT_ROOT}/data/BILLING_PERIOD=${PERIOD}/${EXPORT}-00001.snappy.parquet`;
const manifestKey = `${EXPORT_ROOT}/metadata/BILLING_PERIOD=${PERIOD}/${EXPORT}-Manifest.json`;

function usage(days: number, spikes: Record<number, string>): TinyLine[] {
  return Array.from({ length: days }, (_, i) =>
    bedrockUsage(`${PERIOD}-${String(i + 1).padStart(2, '0')}`, spikes[i + 1] ?? '40'),
  );
}

/** What AWS bills for the whole month from its first hour: tax and a monthly fee, both ending Nov 1. */
const MONTH_SPANNING: TinyLine[] = [
  monthSpanning(PERIOD, { usageType: '', type: 'Tax', amount: '1', cost: '12.5' }),
  monthSpanning(PERIOD, {
    usageType: 'USE1-BoxUsage',
    productCode: 'AmazonEC2',
    type: 'RIFee',
    amount: '720',
    cost: '30',
  }),
];

describe('cur-delivery handler: watermark and held deliveries (loopback)', () => {
  let s3: LocalS3;
  let db: LocalDynamo;
  let workDir: string;
  const metrics = recordingMetrics();

  function newHandler() {
    const log = recordingLog();
    const handler = createCurDeliveryHandler({
      env: {
        BEDROCK_COST_STORE: `s3://${FACTS_BUCKET}/bedrock-cost`,
        BEDROCK_COST_CONFIG: `s3://${FACTS_BUCKET}/${CONFIG_KEY}`,
        BEDROCK_COST_STATE_TABLE: db.tableName,
        BEDROCK_COST_ENGINE: 'duckdb',
        BEDROCK_COST_CUR_EXPORT: `s3://${CUR_BUCKET}/${EXPORT_ROOT}`,
        BEDROCK_COST_S3_ENDPOINT: s3.endpoint,
        AWS_REGION: 'us-east-1',
        HOME: workDir,
      },
      clients: { s3: s3.newClient(), dynamo: db.client },
      clock: () => NOW,
      log,
      metrics,
      workDir: join(workDir, 'lambda-tmp'),
    });
    return { handler, log };
  }

  async function deliver(lines: TinyLine[], executionId: string): Promise<ObjectRef> {
    const file = join(workDir, `${executionId}.parquet`);
    await writeTinyCur2(file, lines);
    await s3.client.send(
      new PutObjectCommand({ Bucket: CUR_BUCKET, Key: dataKey, Body: await readFile(file) }),
    );
    const out = await s3.client.send(
      new PutObjectCommand({
        Bucket: CUR_BUCKET,
        Key: manifestKey,
        Body: JSON.stringify({
          executionId,
          exportName: EXPORT,
          billingPeriod: { start: `${PERIOD}-01T00:00:00.000Z` },
          dataFiles: [`s3://${CUR_BUCKET}/${dataKey}`],
        }),
      }),
    );
    return { bucket: CUR_BUCKET, key: manifestKey, etag: out.ETag ?? '' };
  }

  const store = () => s3FactStore({ client: s3.client, bucket: FACTS_BUCKET, prefix: 'bedrock-cost' });
  const sent = async () =>
    (await readFile(join(workDir, 'findings', 'sent.jsonl'), 'utf8').catch(() => ''))
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-guards-'));
    [s3, db] = await Promise.all([startS3rver(), startDynalite()]);
    await s3.client.send(
      new PutObjectCommand({
        Bucket: FACTS_BUCKET,
        Key: CONFIG_KEY,
        Body: `routes:\n  receiver: findings\nreceivers:\n  - name: findings\n    console: { dir: ${join(workDir, 'findings')} }\n`,
      }),
    );
  });

  afterAll(async () => {
    await Promise.all([s3?.close(), db?.close()]);
    await rm(workDir, { recursive: true, force: true });
  });

  it('takes the watermark from usage lines: tax and fees ending Nov 1 do not make Oct 13 final', async () => {
    // Oct 1–13 with a spike on the 13th, the last (incomplete) day; tax and an RI fee span the month.
    const v1 = await deliver([...usage(13, { 13: '400' }), ...MONTH_SPANNING], 'exec-1');
    const { handler, log } = newHandler();

    const response = await handler(sqsEvent(sqsRecord(eventBridgeBody(v1), 'v1')), fakeContext());

    expect(response.batchItemFailures).toEqual([]);
    const [snapshot] = await store().snapshots();
    expect(snapshot!.newestUsageEnd).toBe('2026-10-14T00:00:00Z');
    const processed = log.lines.find((l) => l.message.startsWith('delivery ingested:'));
    // The spike is there, but provisional: it never pages on a day CUR has not completed.
    expect(processed?.extra).toMatchObject({ pages: 0 });
    expect(processed?.extra?.findings).toBeGreaterThan(0);
  });

  it('holds a re-delivery that shrinks the stored spend: a warning finding and a metric, facts kept', async () => {
    const before = await store().read({});
    // The month again with only its first three days: $120 + $12.50 Bedrock tax instead of $880 + $12.50.
    const v2 = await deliver([...usage(3, {}), ...MONTH_SPANNING], 'exec-2');
    const { handler, log } = newHandler();

    const response = await handler(sqsEvent(sqsRecord(eventBridgeBody(v2), 'v2')), fakeContext());

    expect(response.batchItemFailures).toEqual([]);
    expect(await store().read({})).toEqual(before);
    expect(metrics.total('DeliveriesShrinkHeld')).toBe(1);
    const warning = log.lines.find((l) => l.message.startsWith('delivery held, nothing written:'));
    expect(warning?.level).toBe('warn');
    expect(warning?.message).toContain(
      'billing period 2026-10 of export bedrock-export: the delivery would shrink the stored Bedrock cost by 85.1%, more than 50% (stored $892.50 in 14 fact(s), delivered $132.50 in 4 fact(s))',
    );
    // The finding reached the receiver: its rendered message names the period, both totals and the way out.
    const texts = await Promise.all(
      (await sent()).map((n) => readFile(String(n.file).replace(/\.json$/, '.txt'), 'utf8')),
    );
    const held = texts.filter((t) => t.includes('CUR delivery held'));
    expect(held).toHaveLength(1);
    expect(held[0]).toContain('stored $892.50');
    expect(held[0]).toContain('--accept-shrink');
  });
});
