import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, S3ServiceException } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { s3FactStore } from '../../src/adapters/s3/fact-store.js';
import { s3IngestLedger } from '../../src/adapters/s3/ingest-ledger.js';
import type { LedgerEntry } from '../../src/app/ports/ingest.js';
import { StoreError } from '../../src/core/errors.js';
import type { DailyFact } from '../../src/core/facts/daily-fact.js';
import { formatMoney, parseMoney, parseQuantity } from '../../src/core/money.js';
import { FACTS_BUCKET, type LocalS3, startS3rver } from '../helpers/s3rver.js';

let s3: LocalS3;
let workDir: string;

beforeAll(async () => {
  s3 = await startS3rver();
  workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-s3-store-'));
});

afterAll(async () => {
  await s3?.close();
  await rm(workDir, { recursive: true, force: true });
});

function fact(overrides: Partial<DailyFact> & { cost: string; usage: string }): DailyFact {
  const { cost, usage, ...rest } = overrides;
  return {
    usageDate: '2026-06-03',
    billingPeriod: '2026-06',
    payerAccount: '999988887777',
    usageAccount: '111122223333',
    usageAccountName: 'prod-genai',
    region: 'us-east-1',
    billingPath: 'first_party',
    model: 'amazon.nova-lite-v1',
    modelFamily: 'nova-lite',
    modelProvider: 'amazon',
    modelTier: 'economy',
    usageKind: 'input',
    serviceTier: 'standard',
    routing: 'in_region',
    context: 'standard',
    resourceKind: 'application-inference-profile',
    resourceId: 'arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/a1b2c3d4e5f6',
    usageType: 'USE1-NovaLite-input-tokens',
    workload: 'support-bot',
    team: 'support',
    costCenter: 'cc-100',
    environment: 'prod',
    accountEnvironment: 'prod',
    attributionSource: 'resource_tag',
    iamPrincipal: '',
    lineItemType: 'Usage',
    tokens: 12_500_000,
    usageAmount: parseQuantity(usage),
    pricingUnit: '1K tokens',
    costUnblended: parseMoney(cost),
    costNet: parseMoney(cost),
    lineItems: 2,
    sourceExport: 'bedrock-cur',
    snapshotId: 'snap-1',
    ...rest,
  };
}

const JUNE: DailyFact[] = [
  fact({ cost: '0.75', usage: '12500' }),
  fact({
    usageDate: '2026-06-03',
    usageKind: 'output',
    usageType: 'USE1-NovaLite-output-tokens',
    cost: '0.216',
    usage: '900',
    tokens: 900_000,
  }),
  // Sub-nano-dollar and 15-decimal values must survive the Parquet round trip exactly.
  fact({
    usageDate: '2026-06-04',
    workload: '__unallocated__',
    cost: '0.000000001800000',
    usage: '0.000000000000001',
    tokens: 0,
  }),
  fact({
    usageDate: '2026-06-05',
    cost: '123456789.123456789012345',
    usage: '98765.432109876543210',
    tokens: 98_765_432,
  }),
];

const META = { snapshotId: 'snap-1', newestUsageEnd: '2026-06-05T13:00:00Z' };

describe('s3FactStore', () => {
  const store = () =>
    s3FactStore({ client: s3.client, bucket: FACTS_BUCKET, prefix: '/team-a/store/', workDir });

  it('starts empty', async () => {
    expect(await store().read({})).toEqual([]);
    expect(await store().snapshots()).toEqual([]);
    expect(store().location).toBe(`s3://${FACTS_BUCKET}/team-a/store/facts`);
  });

  it('round-trips facts with exact money through one Parquet object per (export, period)', async () => {
    await store().replacePeriod('bedrock-cur', '2026-06', JUNE, META);
    const object = await s3.client.send(
      new GetObjectCommand({
        Bucket: FACTS_BUCKET,
        Key: 'team-a/store/facts/billing_period=2026-06/bedrock-cur.parquet',
      }),
    );
    const bytes = await object.Body!.transformToByteArray();
    expect(Buffer.from(bytes.subarray(0, 4)).toString('latin1')).toBe('PAR1');

    const read = await store().read({});
    expect(read).toEqual(JUNE);
    expect(read.map((f) => formatMoney(f.costUnblended))).toEqual([
      '0.75',
      '0.216',
      '0.0000000018',
      '123456789.123456789012345',
    ]);
    expect(await store().read({ from: '2026-06-04', to: '2026-06-04' })).toEqual([JUNE[2]]);
    expect((await readdir(workDir)).filter((n) => n.startsWith('bedrock-cost-facts-'))).toEqual([]);
  });

  it('replaces a snapshot instead of appending, and lists snapshots', async () => {
    const may = [fact({ usageDate: '2026-05-31', billingPeriod: '2026-05', cost: '1.5', usage: '25000' })];
    await store().replacePeriod('bedrock-cur', '2026-05', may, META);
    await store().replacePeriod('other-export', '2026-06', [], META);
    const restated = [fact({ cost: '0.5', usage: '8000', snapshotId: 'snap-2' })];
    await store().replacePeriod('bedrock-cur', '2026-06', restated, META);

    expect(await store().read({})).toEqual([...may, ...restated]);
    expect(await store().snapshots()).toEqual([
      { billingPeriod: '2026-05', exportName: 'bedrock-cur', ...META },
      { billingPeriod: '2026-06', exportName: 'bedrock-cur', ...META },
      { billingPeriod: '2026-06', exportName: 'other-export', ...META },
    ]);
  });

  it('ignores objects that are not snapshots', async () => {
    const put = (Key: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: FACTS_BUCKET, Key, Body: 'x' }));
    await put('team-a/store/facts/billing_period=2026-06/.bedrock-cur.parquet.tmp');
    await put('team-a/store/facts/billing_period=2026-06/notes.txt');
    await put('team-a/store/facts/_SUCCESS');
    expect(await store().snapshots()).toHaveLength(3);
    expect(await store().read({ from: '2026-05-01' })).toHaveLength(2);
  });

  it('keeps stores under different prefixes apart', async () => {
    const other = s3FactStore({ client: s3.client, bucket: FACTS_BUCKET, prefix: 'team-b', workDir });
    expect(await other.snapshots()).toEqual([]);
    const root = s3FactStore({ client: s3.client, bucket: FACTS_BUCKET, workDir });
    expect(root.location).toBe(`s3://${FACTS_BUCKET}/facts`);
    expect(await root.snapshots()).toEqual([]);
  });

  it('wraps failures in StoreError naming the s3:// location', async () => {
    const missing = s3FactStore({ client: s3.client, bucket: 'no-such-bucket', prefix: 'p', workDir });
    await expect(missing.snapshots()).rejects.toThrow(StoreError);
    await expect(missing.snapshots()).rejects.toThrow(
      /^cannot list facts s3:\/\/no-such-bucket\/p\/facts\/: NoSuchBucket/,
    );
    await expect(missing.replacePeriod('bedrock-cur', '2026-06', JUNE, META)).rejects.toThrow(
      /^cannot write facts s3:\/\/no-such-bucket\/p\/facts\/billing_period=2026-06\/bedrock-cur\.parquet: NoSuchBucket/,
    );
    await expect(store().replacePeriod('../escape', '2026-06', [], META)).rejects.toThrow(StoreError);
    await expect(store().replacePeriod('bedrock-cur', '2026-6', [], META)).rejects.toThrow(StoreError);
  });
});

function entry(objectKey: string, version: string): LedgerEntry {
  return {
    objectKey,
    version,
    exportName: 'bedrock-cur',
    snapshotId: `snap-${version}`,
    billingPeriods: ['2026-06'],
    ingestedAt: '2026-06-10T08:00:00.000Z',
    facts: 4,
    costUnblended: '123456790.089456789012345',
  };
}

const MANIFEST = 's3://cur-bucket/cur/bedrock-cur/metadata/BILLING_PERIOD=2026-06/bedrock-cur-Manifest.json';
const MAY_MANIFEST =
  's3://cur-bucket/cur/bedrock-cur/metadata/BILLING_PERIOD=2026-05/bedrock-cur-Manifest.json';

describe('s3IngestLedger', () => {
  it('stores entries in <prefix>/state/ingest-ledger.json in the local ledger shape', async () => {
    const ledger = s3IngestLedger({ client: s3.client, bucket: FACTS_BUCKET, prefix: 'ledger-a' });
    expect(await ledger.get(MANIFEST)).toBeNull();
    await ledger.put(entry(MANIFEST, 'etag-1'));
    await ledger.put(entry(MAY_MANIFEST, 'etag-m'));
    await ledger.put(entry(MANIFEST, 'etag-2'));
    expect(await ledger.get(MANIFEST)).toEqual(entry(MANIFEST, 'etag-2'));
    expect(await ledger.get(MAY_MANIFEST)).toEqual(entry(MAY_MANIFEST, 'etag-m'));
    expect(await ledger.get('constructor')).toBeNull();

    const object = await s3.client.send(
      new GetObjectCommand({ Bucket: FACTS_BUCKET, Key: 'ledger-a/state/ingest-ledger.json' }),
    );
    expect(JSON.parse(await object.Body!.transformToString())).toEqual({
      version: 1,
      entries: { [MANIFEST]: entry(MANIFEST, 'etag-2'), [MAY_MANIFEST]: entry(MAY_MANIFEST, 'etag-m') },
    });
  });

  it('writes with If-None-Match: * first and If-Match on the ETag it read after that', async () => {
    const client = s3.newClient();
    const sent: { ifMatch?: string; ifNoneMatch?: string }[] = [];
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method?: string; headers?: Record<string, string> };
        if (request.method === 'PUT') {
          sent.push({
            ifMatch: request.headers?.['if-match'],
            ifNoneMatch: request.headers?.['if-none-match'],
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const ledger = s3IngestLedger({ client, bucket: FACTS_BUCKET, prefix: 'ledger-b' });
    await ledger.put(entry(MANIFEST, 'etag-1'));
    await ledger.put(entry(MANIFEST, 'etag-2'));
    expect(sent[0]).toEqual({ ifMatch: undefined, ifNoneMatch: '*' });
    expect(sent[1]).toEqual({ ifMatch: expect.stringMatching(/^"[0-9a-f]{32}"$/), ifNoneMatch: undefined });

    sent.length = 0;
    await s3IngestLedger({ client, bucket: FACTS_BUCKET, prefix: 'ledger-b', conditionalWrites: false }).put(
      entry(MAY_MANIFEST, 'etag-m'),
    );
    expect(sent).toEqual([{ ifMatch: undefined, ifNoneMatch: undefined }]);
    client.destroy();
  });

  // s3rver ignores If-Match / If-None-Match on PUT, so the lost race AWS S3 answers with 412 is injected.
  it('re-reads and re-applies its change when a concurrent writer wins the race (412)', async () => {
    const client = s3.newClient();
    const other = s3IngestLedger({ client: s3.client, bucket: FACTS_BUCKET, prefix: 'ledger-c' });
    await other.put(entry(MAY_MANIFEST, 'etag-m'));
    let rejected = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { method?: string };
        if (request.method === 'PUT' && rejected === 0) {
          rejected++;
          // Meanwhile another ingest wrote its entry: ours must not erase it.
          await other.put(entry('s3://cur-bucket/other-Manifest.json', 'etag-o'));
          throw new S3ServiceException({
            name: 'PreconditionFailed',
            $fault: 'client',
            $metadata: { httpStatusCode: 412 },
            message: 'At least one of the pre-conditions you specified did not hold',
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const ledger = s3IngestLedger({ client, bucket: FACTS_BUCKET, prefix: 'ledger-c' });
    await ledger.put(entry(MANIFEST, 'etag-1'));
    expect(rejected).toBe(1);
    expect(await ledger.get(MANIFEST)).toEqual(entry(MANIFEST, 'etag-1'));
    expect(await ledger.get(MAY_MANIFEST)).toEqual(entry(MAY_MANIFEST, 'etag-m'));
    expect(await ledger.get('s3://cur-bucket/other-Manifest.json')).toEqual(
      entry('s3://cur-bucket/other-Manifest.json', 'etag-o'),
    );
    client.destroy();
  });

  it('gives up with a retryable StoreError when every attempt loses the race', async () => {
    const client = s3.newClient();
    client.middlewareStack.add(
      (next) => async (args) => {
        if ((args.request as { method?: string }).method === 'PUT') {
          throw new S3ServiceException({
            name: 'PreconditionFailed',
            $fault: 'client',
            $metadata: { httpStatusCode: 412 },
          });
        }
        return next(args);
      },
      { step: 'finalizeRequest' },
    );
    const ledger = s3IngestLedger({ client, bucket: FACTS_BUCKET, prefix: 'ledger-d', maxAttempts: 3 });
    const error = await ledger.put(entry(MANIFEST, 'etag-1')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      /ingest-ledger\.json: it kept changing under concurrent writers \(3 attempts\)/,
    );
    client.destroy();
  });

  it('rejects a ledger object that is not a ledger', async () => {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: FACTS_BUCKET,
        Key: 'ledger-e/state/ingest-ledger.json',
        Body: '[1, 2]',
      }),
    );
    const ledger = s3IngestLedger({ client: s3.client, bucket: FACTS_BUCKET, prefix: 'ledger-e' });
    await expect(ledger.get(MANIFEST)).rejects.toThrow(
      `ingest ledger s3://${FACTS_BUCKET}/ledger-e/state/ingest-ledger.json is not an ingest ledger`,
    );
    await expect(
      s3IngestLedger({ client: s3.client, bucket: 'no-such-bucket', prefix: 'x' }).get(MANIFEST),
    ).rejects.toThrow(
      /^cannot read ingest ledger s3:\/\/no-such-bucket\/x\/state\/ingest-ledger\.json: NoSuchBucket/,
    );
  });
});
