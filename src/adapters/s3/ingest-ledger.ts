import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IngestLedger, LedgerEntry } from '../../app/ports/ingest.js';
import { StoreError } from '../../core/errors.js';
import { formatS3Uri, joinKey } from './s3-location.js';
import { describeS3Error, getObjectText, isPreconditionFailed, isRetryableS3Error } from './s3-objects.js';

/** Same shape as the local `state/ingest-ledger.json`, so a store can move between disk and S3. */
interface LedgerFile {
  version: 1;
  entries: Record<string, LedgerEntry>;
}

export interface S3IngestLedgerOptions {
  client: S3Client;
  bucket: string;
  /** Store root inside the bucket; the ledger is `<prefix>/state/ingest-ledger.json`. */
  prefix?: string;
  /**
   * Write with If-Match (the ETag read) / If-None-Match: * (first write), retrying the read-modify-write when
   * another writer got there first (default true). AWS S3 enforces both; s3rver ignores them and accepts the
   * write, so there this degrades to last-writer-wins. Turn off only for a server that rejects the headers.
   */
  conditionalWrites?: boolean;
  /** Read-modify-write attempts before giving up under contention (default 6). */
  maxAttempts?: number;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The ingest ledger as one JSON object in S3. Concurrent ingests (one Lambda per delivery) each rewrite the
 * whole file, so writes are conditional on the ETag read: a lost race is re-read and re-applied, never lost.
 */
export function s3IngestLedger(options: S3IngestLedgerOptions): IngestLedger {
  const { client, bucket } = options;
  const key = joinKey(options.prefix ?? '', 'state', 'ingest-ledger.json');
  const uri = formatS3Uri(bucket, key);
  const conditional = options.conditionalWrites ?? true;
  const maxAttempts = Math.max(1, options.maxAttempts ?? 6);

  const load = async (): Promise<{ file: LedgerFile; etag: string | null }> => {
    let object: { text: string; etag: string } | null;
    try {
      object = await getObjectText(client, bucket, key);
    } catch (error) {
      throw new StoreError(`cannot read ingest ledger ${uri}: ${describeS3Error(error)}`, {
        cause: error,
        retryable: isRetryableS3Error(error),
      });
    }
    if (!object) return { file: { version: 1, entries: {} }, etag: null };
    return { file: parseLedger(object.text, uri), etag: object.etag || null };
  };

  return {
    async get(objectKey) {
      const { entries } = (await load()).file;
      return Object.hasOwn(entries, objectKey) ? (entries[objectKey] ?? null) : null;
    },
    async put(entry) {
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        const { file, etag } = await load();
        file.entries[entry.objectKey] = entry;
        const condition = !conditional ? {} : etag ? { IfMatch: etag } : { IfNoneMatch: '*' };
        try {
          await client.send(
            new PutObjectCommand({
              Bucket: bucket,
              Key: key,
              Body: `${JSON.stringify(file, null, 2)}\n`,
              ContentType: 'application/json',
              ...condition,
            }),
          );
          return;
        } catch (error) {
          if (conditional && isPreconditionFailed(error)) {
            // Jittered backoff so writers that collided do not collide again on the next attempt.
            if (attempt < maxAttempts) await sleep(25 * 2 ** attempt * (0.5 + Math.random()));
            continue;
          }
          throw new StoreError(`cannot write ingest ledger ${uri}: ${describeS3Error(error)}`, {
            cause: error,
            retryable: isRetryableS3Error(error),
          });
        }
      }
      throw new StoreError(
        `cannot write ingest ledger ${uri}: it kept changing under concurrent writers (${maxAttempts} attempts)`,
        { retryable: true },
      );
    },
  };
}

function parseLedger(text: string, uri: string): LedgerFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new StoreError(`ingest ledger ${uri} is not valid JSON (${(error as Error).message})`, {
      cause: error,
    });
  }
  const entries = (raw as { entries?: unknown } | null)?.entries;
  if (
    typeof raw !== 'object' ||
    raw === null ||
    typeof entries !== 'object' ||
    entries === null ||
    Array.isArray(entries)
  ) {
    throw new StoreError(
      `ingest ledger ${uri} is not an ingest ledger: expected {"version": 1, "entries": {…}}`,
    );
  }
  return { version: 1, entries: entries as Record<string, LedgerEntry> };
}
