import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { type ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sqlString, withDuckDb } from '../../src/adapters/duckdb/duckdb.js';
import { discoverS3Deliveries, type S3Discovery } from '../../src/adapters/s3/discover-deliveries.js';
import { parseS3Uri, s3Client } from '../../src/adapters/s3/s3-location.js';
import { listObjects } from '../../src/adapters/s3/s3-objects.js';
import { ConfigError, InputError } from '../../src/core/errors.js';
import { CUR_BUCKET, type LocalS3, startS3rver } from '../helpers/s3rver.js';
import { writeTinyCur2 } from '../helpers/tiny-cur.js';

const EXPORT = 'bedrock-cur';
const ROOT = `cur/exports/${EXPORT}`;
const dataKey = (period: string, chunk: number) =>
  `${ROOT}/data/BILLING_PERIOD=${period}/${EXPORT}-${String(chunk).padStart(5, '0')}.snappy.parquet`;
const manifestKey = (period: string) => `${ROOT}/metadata/BILLING_PERIOD=${period}/${EXPORT}-Manifest.json`;
const uri = (key: string) => `s3://${CUR_BUCKET}/${key}`;

function cur2Manifest(period: string, keys: readonly string[], executionId = 'exec-1'): string {
  return JSON.stringify({
    executionId,
    exportName: EXPORT,
    billingPeriod: { start: `${period}-01T00:00:00.000Z`, end: `${period}-28T00:00:00.000Z` },
    dataFiles: keys.map(uri),
  });
}

let s3: LocalS3;
let workDir: string;
let parquet: Buffer;
const open: S3Discovery[] = [];

async function put(key: string, body: string | Buffer): Promise<void> {
  await s3.client.send(new PutObjectCommand({ Bucket: CUR_BUCKET, Key: key, Body: body }));
}

async function discover(input: string, download: 'eager' | 'lazy' = 'eager'): Promise<S3Discovery> {
  const discovery = await discoverS3Deliveries(input, { client: s3.client, workDir, download });
  open.push(discovery);
  return discovery;
}

/** A CUR 2.0 export with two billing periods; June has two chunks. */
async function putCur2Export(): Promise<void> {
  await put(dataKey('2026-05', 1), parquet);
  await put(manifestKey('2026-05'), cur2Manifest('2026-05', [dataKey('2026-05', 1)]));
  await put(dataKey('2026-06', 1), parquet);
  await put(dataKey('2026-06', 2), Buffer.from('second chunk: discovery does not parse data files'));
  await put(manifestKey('2026-06'), cur2Manifest('2026-06', [dataKey('2026-06', 1), dataKey('2026-06', 2)]));
}

beforeAll(async () => {
  s3 = await startS3rver();
  workDir = await mkdtemp(join(tmpdir(), 'bedrock-cost-s3-discover-'));
  const file = join(workDir, 'tiny.parquet');
  await writeTinyCur2(file, [
    {
      day: '2026-06-03',
      usageType: 'USE1-NovaLite-input-tokens',
      unit: '1K tokens',
      amount: '12500',
      cost: '0.75',
    },
    {
      day: '2026-06-04',
      usageType: 'USE1-NovaLite-output-tokens',
      unit: '1K tokens',
      amount: '900',
      cost: '0.216',
    },
  ]);
  parquet = await readFile(file);
  await putCur2Export();
});

beforeEach(async () => {
  while (open.length > 0) await open.pop()!.cleanup();
});

afterAll(async () => {
  while (open.length > 0) await open.pop()!.cleanup();
  await s3?.close();
  await rm(workDir, { recursive: true, force: true });
});

describe('discoverS3Deliveries', () => {
  it('reads a manifest by key and streams every listed data file to local disk', async () => {
    const { deliveries } = await discover(uri(manifestKey('2026-06')));
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery).toMatchObject({
      exportName: EXPORT,
      objectKey: uri(manifestKey('2026-06')),
      billingPeriod: '2026-06',
    });
    expect(delivery!.files.map((f) => f.label)).toEqual([
      uri(dataKey('2026-06', 1)),
      uri(dataKey('2026-06', 2)),
    ]);
    expect(delivery!.version.split(';')).toHaveLength(3);
    for (const file of delivery!.files) {
      expect(file.path.startsWith(workDir)).toBe(true);
      expect(basename(file.path)).toBe(basename(file.label));
    }
    expect(await readFile(delivery!.files[0]!.path)).toEqual(parquet);
    const [row] = await withDuckDb((db) =>
      db.rows<{ n: bigint }>(
        `SELECT count(*) AS n FROM read_parquet(${sqlString(delivery!.files[0]!.path)})`,
      ),
    );
    expect(Number(row!.n)).toBe(2);
  });

  it('finds one delivery per billing-period manifest under an export root', async () => {
    for (const root of [uri(ROOT), `${uri(ROOT)}/`, `s3://${CUR_BUCKET}/cur/`]) {
      const { deliveries } = await discover(root);
      expect(deliveries.map((d) => [d.billingPeriod, d.objectKey, d.files.length])).toEqual([
        ['2026-05', uri(manifestKey('2026-05')), 1],
        ['2026-06', uri(manifestKey('2026-06')), 2],
      ]);
    }
  });

  it('in lazy mode downloads a delivery only when asked, and release frees its disk', async () => {
    const discovery = await discover(uri(ROOT), 'lazy');
    const [may, june] = discovery.deliveries;
    expect(may!.files.every((f) => !existsSync(f.path))).toBe(true);
    await discovery.download(may!);
    expect(await readFile(may!.files[0]!.path)).toEqual(parquet);
    expect(june!.files.every((f) => !existsSync(f.path))).toBe(true);
    await discovery.download(may!); // already there: no-op
    await discovery.release(may!);
    expect(existsSync(may!.files[0]!.path)).toBe(false);
    await discovery.download(may!);
    expect(existsSync(may!.files[0]!.path)).toBe(true);
    await discovery.cleanup();
    expect(existsSync(may!.files[0]!.path)).toBe(false);
    expect((await readdir(workDir)).filter((n) => n.startsWith('bedrock-cost-s3-'))).toEqual([]);
  });

  it('takes a single data file by key', async () => {
    const { deliveries } = await discover(uri(dataKey('2026-05', 1)));
    expect(deliveries).toEqual([
      {
        exportName: EXPORT,
        objectKey: uri(dataKey('2026-05', 1)),
        version: expect.stringMatching(/^bedrock-cur-00001\.snappy\.parquet:[0-9a-f]{32}$/),
        billingPeriod: null,
        files: [
          {
            path: expect.stringMatching(/bedrock-cur-00001\.snappy\.parquet$/),
            label: uri(dataKey('2026-05', 1)),
          },
        ],
      },
    ]);
    expect(await readFile(deliveries[0]!.files[0]!.path)).toEqual(parquet);
  });

  it('takes a prefix of data files without a manifest as one delivery', async () => {
    await put('loose/june/part-a.parquet', parquet);
    await put('loose/june/sub/part-b.csv.gz', Buffer.from([0x1f, 0x8b, 0x08]));
    await put('loose/june/readme.txt', 'not a data file');
    const { deliveries } = await discover(`s3://${CUR_BUCKET}/loose/june`);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]).toMatchObject({
      exportName: 'june',
      objectKey: `s3://${CUR_BUCKET}/loose/june`,
      billingPeriod: null,
    });
    expect(deliveries[0]!.files.map((f) => f.label)).toEqual([
      `s3://${CUR_BUCKET}/loose/june/part-a.parquet`,
      `s3://${CUR_BUCKET}/loose/june/sub/part-b.csv.gz`,
    ]);
    expect(deliveries[0]!.version).toMatch(/^part-a\.parquet:\w+;sub\/part-b\.csv\.gz:\w+$/);
  });

  it('finds legacy CUR period manifests and ignores the per-assembly copies', async () => {
    const period = 'legacy/bedrock-report/20260601-20260701';
    const reportKey = `${period}/assembly-1/bedrock-report-1.csv.gz`;
    const manifest = JSON.stringify({
      assemblyId: 'assembly-1',
      reportName: 'bedrock-report',
      bucket: CUR_BUCKET,
      reportKeys: [reportKey],
      billingPeriod: { start: '20260601T000000.000Z', end: '20260701T000000.000Z' },
    });
    await put(reportKey, Buffer.from([0x1f, 0x8b, 0x08]));
    await put(`${period}/assembly-1/bedrock-report-Manifest.json`, manifest);
    await put(`${period}/bedrock-report-Manifest.json`, manifest);
    const { deliveries } = await discover(`s3://${CUR_BUCKET}/legacy/`);
    expect(
      deliveries.map((d) => [d.exportName, d.billingPeriod, d.objectKey, d.files.map((f) => f.label)]),
    ).toEqual([
      ['bedrock-report', '2026-06', uri(`${period}/bedrock-report-Manifest.json`), [uri(reportKey)]],
    ]);
  });

  it('keeps the version while nothing changes and changes it when a data file or the manifest is re-put', async () => {
    const version = async () => (await discover(uri(manifestKey('2026-06')), 'lazy')).deliveries[0]!.version;
    const first = await version();
    expect(await version()).toBe(first);

    await put(dataKey('2026-06', 2), Buffer.from('second chunk: discovery does not parse data files'));
    await put(
      manifestKey('2026-06'),
      cur2Manifest('2026-06', [dataKey('2026-06', 1), dataKey('2026-06', 2)]),
    );
    expect(await version()).toBe(first);

    await put(dataKey('2026-06', 2), Buffer.from('second chunk, refreshed by AWS'));
    const second = await version();
    expect(second).not.toBe(first);
    expect(second.split(';')[0]).toBe(first.split(';')[0]);

    await put(
      manifestKey('2026-06'),
      cur2Manifest('2026-06', [dataKey('2026-06', 1), dataKey('2026-06', 2)], 'exec-2'),
    );
    const third = await version();
    expect(third.split(';')[0]).not.toBe(second.split(';')[0]);
  });

  it('refuses to download an object that changed after discovery', async () => {
    await put('changing/data/BILLING_PERIOD=2026-07/x-00001.snappy.parquet', parquet);
    await put(
      'changing/metadata/BILLING_PERIOD=2026-07/x-Manifest.json',
      JSON.stringify({ dataFiles: [uri('changing/data/BILLING_PERIOD=2026-07/x-00001.snappy.parquet')] }),
    );
    const discovery = await discover(uri('changing/metadata/BILLING_PERIOD=2026-07/x-Manifest.json'), 'lazy');
    await put('changing/data/BILLING_PERIOD=2026-07/x-00001.snappy.parquet', Buffer.from('rewritten'));
    const error = await discovery.download(discovery.deliveries[0]!).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).retryable).toBe(true);
    expect((error as Error).message).toMatch(
      /^s3:\/\/cur-bucket\/changing\/data\/BILLING_PERIOD=2026-07\/x-00001\.snappy\.parquet: changed after the delivery was discovered/,
    );
    expect(existsSync(discovery.deliveries[0]!.files[0]!.path)).toBe(false);
  });

  it('names the manifest when it lists a data file that does not exist', async () => {
    const missing = `broken/${EXPORT}/data/BILLING_PERIOD=2026-06/${EXPORT}-00003.snappy.parquet`;
    const key = `broken/${EXPORT}/metadata/BILLING_PERIOD=2026-06/${EXPORT}-Manifest.json`;
    await put(key, JSON.stringify({ exportName: EXPORT, dataFiles: [uri(missing)] }));
    const error = await discover(uri(key)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe(
      `${uri(key)}: lists data file ${uri(missing)}, which does not exist`,
    );
    // The same through the export root, and nothing is left on disk.
    await expect(discover(`s3://${CUR_BUCKET}/broken/`)).rejects.toThrow(`${uri(key)}: lists data file`);
    expect((await readdir(workDir)).filter((n) => n.startsWith('bedrock-cost-s3-'))).toEqual([]);
  });

  it('says what is wrong with a missing key, an empty prefix or a malformed manifest', async () => {
    await expect(discover(uri('nope/x-Manifest.json'))).rejects.toThrow(
      `${uri('nope/x-Manifest.json')}: no such object`,
    );
    await expect(discover(uri('nope/data.parquet'))).rejects.toThrow(
      `${uri('nope/data.parquet')}: no such object, and no objects under it`,
    );
    await expect(discover(uri('nope/'))).rejects.toThrow(`${uri('nope/')}: no objects under this prefix`);
    await put('odd/readme.txt', 'hello');
    await expect(discover(uri('odd/'))).rejects.toThrow(/^s3:\/\/cur-bucket\/odd\/: no CUR manifest/);
    await put('bad/m/metadata/BILLING_PERIOD=2026-06/m-Manifest.json', '{"dataFiles": 3');
    await expect(discover(uri('bad/m/metadata/BILLING_PERIOD=2026-06/m-Manifest.json'))).rejects.toThrow(
      /^s3:\/\/cur-bucket\/bad\/m\/metadata\/BILLING_PERIOD=2026-06\/m-Manifest\.json: manifest is not valid JSON/,
    );
    await expect(discover('s3://no-such-bucket/x/')).rejects.toThrow(
      /^s3:\/\/no-such-bucket\/x\/: cannot read from S3: NoSuchBucket/,
    );
  });
});

describe('parseS3Uri', () => {
  it.each([
    ['s3://cur-bucket/a/b-Manifest.json', { bucket: 'cur-bucket', key: 'a/b-Manifest.json' }],
    ['s3://cur-bucket', { bucket: 'cur-bucket', key: '' }],
    ['s3://cur-bucket/', { bucket: 'cur-bucket', key: '' }],
    ['s3://cur.bucket-1/prefix/', { bucket: 'cur.bucket-1', key: 'prefix/' }],
  ])('%s', (input, expected) => {
    expect(parseS3Uri(input)).toEqual(expected);
  });

  it.each([
    ['/local/path', 'not an S3 URI'],
    ['s3:/cur-bucket/x', 'not an S3 URI'],
    ['s3:///x', 'names no bucket'],
    ['s3://Cur_Bucket/x', '"Cur_Bucket" is not a valid S3 bucket name'],
  ])('rejects %s', (input, message) => {
    expect(() => parseS3Uri(input)).toThrow(InputError);
    expect(() => parseS3Uri(input)).toThrow(message);
  });
});

describe('s3Client', () => {
  it('takes the region from AWS_REGION, then AWS_DEFAULT_REGION, then us-east-1', async () => {
    expect(
      await s3Client({ env: { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'us-west-2' } }).config.region(),
    ).toBe('eu-west-1');
    expect(await s3Client({ env: { AWS_DEFAULT_REGION: 'us-west-2' } }).config.region()).toBe('us-west-2');
    expect(await s3Client({ env: {} }).config.region()).toBe('us-east-1');
    expect(await s3Client({ region: 'ap-south-1', env: { AWS_REGION: 'eu-west-1' } }).config.region()).toBe(
      'ap-south-1',
    );
  });

  it('uses BEDROCK_COST_S3_ENDPOINT with path-style addressing', async () => {
    const client = s3Client({ env: { BEDROCK_COST_S3_ENDPOINT: 'http://127.0.0.1:4569' } });
    expect(client.config.forcePathStyle).toBe(true);
    const endpoint = await client.config.endpoint?.();
    expect(endpoint).toMatchObject({ hostname: '127.0.0.1', port: 4569, protocol: 'http:' });
    expect(s3Client({ env: {} }).config.forcePathStyle).toBe(false);
    expect(() => s3Client({ env: { BEDROCK_COST_S3_ENDPOINT: 'not a url' } })).toThrow(ConfigError);
  });
});

describe('listObjects', () => {
  // s3rver cannot page on Node 20 (its continuation tokens use DES, which OpenSSL 3 disables), so paging is
  // checked against a scripted client.
  it('follows continuation tokens', async () => {
    const seen: (string | undefined)[] = [];
    const pages: Record<string, { keys: string[]; next?: string }> = {
      start: { keys: ['p/b', 'p/a'], next: 'token-2' },
      'token-2': { keys: ['p/c'] },
    };
    const client = {
      async send(command: ListObjectsV2Command) {
        seen.push(command.input.ContinuationToken);
        const page = pages[command.input.ContinuationToken ?? 'start']!;
        return {
          Contents: page.keys.map((Key) => ({ Key, ETag: `"${Key}"`, Size: 1 })),
          IsTruncated: page.next !== undefined,
          NextContinuationToken: page.next,
        };
      },
    } as unknown as S3Client;
    expect((await listObjects(client, 'b', 'p/')).map((o) => o.key)).toEqual(['p/a', 'p/b', 'p/c']);
    expect(seen).toEqual([undefined, 'token-2']);
  });
});
