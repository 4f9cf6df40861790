import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FactQuery, FactStore, StoredSnapshot } from '../../app/ports/ingest.js';
import { StoreError } from '../../core/errors.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { type DuckDb, withDuckDb } from '../duckdb/duckdb.js';
import { readFactsParquet, writeFactsParquet } from '../duckdb/fact-parquet.js';
import { duckDbFactReader } from '../duckdb/fact-reader.js';
import { formatS3Uri, joinKey } from './s3-location.js';
import { describeS3Error, downloadObject, isRetryableS3Error, listObjects, mapLimit } from './s3-objects.js';

const SNAPSHOT_KEY = /^billing_period=(\d{4}-\d{2})\/([^/]+)\.parquet$/;
const BILLING_PERIOD = /^\d{4}-\d{2}$/;
const CONCURRENCY = 4;

export interface S3FactStoreOptions {
  client: S3Client;
  bucket: string;
  /** Dataset root inside the bucket ('' for the bucket root); facts live under `<prefix>/facts/`. */
  prefix?: string;
  /** Parent of temporary files (default: the OS temp dir). */
  workDir?: string;
}

interface SnapshotObject {
  billingPeriod: string;
  exportName: string;
  key: string;
}

/**
 * The fact dataset in S3, laid out as the local store: `<prefix>/facts/billing_period=YYYY-MM/<export>.parquet`
 * (a Glue/Athena table can sit over it). A snapshot is written locally and uploaded with one PutObject, which
 * S3 applies atomically: readers see the old or the new snapshot, never a partial one.
 */
export function s3FactStore(options: S3FactStoreOptions): FactStore {
  const { client, bucket } = options;
  const factsRoot = joinKey(options.prefix ?? '', 'facts');
  const factsPrefix = `${factsRoot}/`;
  const location = formatS3Uri(bucket, factsRoot);
  const workDir = async () => {
    const parent = options.workDir ?? tmpdir();
    await mkdir(parent, { recursive: true });
    return mkdtemp(join(parent, 'bedrock-cost-facts-'));
  };

  const listSnapshots = async (): Promise<SnapshotObject[]> => {
    try {
      const objects = await listObjects(client, bucket, factsPrefix);
      return objects.flatMap((object) => {
        const match = SNAPSHOT_KEY.exec(object.key.slice(factsPrefix.length));
        if (!match || match[2]!.startsWith('.')) return [];
        return [{ billingPeriod: match[1]!, exportName: match[2]!, key: object.key }];
      });
    } catch (error) {
      throw new StoreError(
        `cannot list facts ${formatS3Uri(bucket, factsPrefix)}: ${describeS3Error(error)}`,
        {
          cause: error,
          retryable: isRetryableS3Error(error),
        },
      );
    }
  };

  /** Downloads every snapshot once, then reads them with one DuckDB instance; the copies are removed after. */
  const withDownloadedFacts = async <T>(
    work: (db: DuckDb, files: string[]) => Promise<T>,
    billingPeriod?: string,
  ): Promise<T> => {
    const snapshots = (await listSnapshots()).filter(
      (s) => !billingPeriod || s.billingPeriod === billingPeriod,
    );
    const dir = await workDir();
    try {
      const files = await mapLimit(snapshots, CONCURRENCY, async (snapshot) => {
        const path = join(dir, `${snapshot.billingPeriod}_${snapshot.exportName}.parquet`);
        try {
          await downloadObject(client, bucket, snapshot.key, path);
        } catch (error) {
          throw new StoreError(
            `cannot read facts ${formatS3Uri(bucket, snapshot.key)}: ${describeS3Error(error)}`,
            {
              cause: error,
              retryable: isRetryableS3Error(error),
            },
          );
        }
        return path;
      });
      return await withDuckDb((db) => work(db, files)).catch((error: unknown) => {
        if (error instanceof StoreError) throw error;
        throw new StoreError(`cannot read facts ${location}: ${describeS3Error(error)}`, { cause: error });
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  };
  return {
    location,
    async replacePeriod(exportName, billingPeriod, facts, meta) {
      const key = `${factsPrefix}billing_period=${billingPeriod}/${exportName}.parquet`;
      const uri = formatS3Uri(bucket, key);
      if (
        !BILLING_PERIOD.test(billingPeriod) ||
        exportName === '' ||
        /[/\\]/.test(exportName) ||
        exportName.startsWith('.')
      ) {
        throw new StoreError(
          `cannot write facts ${uri}: export name or billing period is not a valid key segment`,
        );
      }
      const dir = await workDir();
      try {
        const file = join(dir, `${exportName}.parquet`);
        await withDuckDb((db) => writeFactsParquet(db, facts, file, meta), { threads: 1 });
        // A fact snapshot is small (daily aggregates); a Buffer body lets the SDK retry the PUT, which a
        // consumed file stream could not, and needs no aws-chunked encoding.
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: await readFile(file),
            ContentType: 'application/vnd.apache.parquet',
            // The same snapshot metadata as inside the file, readable with a HEAD instead of a download.
            Metadata: { 'snapshot-id': meta.snapshotId, 'newest-usage-end': meta.newestUsageEnd ?? '' },
          }),
        );
      } catch (error) {
        throw new StoreError(`cannot write facts ${uri}: ${describeS3Error(error)}`, {
          cause: error,
          retryable: isRetryableS3Error(error),
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    async read(query: FactQuery): Promise<DailyFact[]> {
      return withDownloadedFacts((db, files) => readFactsParquet(db, files, query), query.billingPeriod);
    },
    async withReader(work) {
      return withDownloadedFacts((db, files) => work(duckDbFactReader(db, files)));
    },
    async snapshots(): Promise<StoredSnapshot[]> {
      const snapshots = await listSnapshots();
      return mapLimit(snapshots, CONCURRENCY, async ({ billingPeriod, exportName, key }) => {
        try {
          const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
          const meta = head.Metadata ?? {};
          return {
            billingPeriod,
            exportName,
            snapshotId: meta['snapshot-id'] ?? '',
            newestUsageEnd: meta['newest-usage-end'] || null,
          };
        } catch (error) {
          throw new StoreError(`cannot read facts ${formatS3Uri(bucket, key)}: ${describeS3Error(error)}`, {
            cause: error,
            retryable: isRetryableS3Error(error),
          });
        }
      });
    },
  };
}
