import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';

/** One object as a listing or HEAD reports it; `etag` keeps S3's quotes, as If-Match expects it. */
export interface S3ObjectInfo {
  key: string;
  etag: string;
  size: number;
}

/** Every object under `prefix`, following continuation tokens, in key order. */
export async function listObjects(client: S3Client, bucket: string, prefix: string): Promise<S3ObjectInfo[]> {
  const objects: S3ObjectInfo[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix || undefined, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      if (object.Key === undefined) continue;
      objects.push({ key: object.Key, etag: object.ETag ?? '', size: object.Size ?? 0 });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** HEAD of one object; null when it does not exist. */
export async function headObject(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<S3ObjectInfo | null> {
  return nullWhenMissing(async () => {
    const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return { key, etag: head.ETag ?? '', size: head.ContentLength ?? 0 };
  });
}

/** A small object (manifest, ledger) as text with its ETag; null when it does not exist. */
export async function getObjectText(
  client: S3Client,
  bucket: string,
  key: string,
): Promise<{ text: string; etag: string } | null> {
  return nullWhenMissing(async () => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = object.Body ? await object.Body.transformToString('utf8') : '';
    return { text, etag: object.ETag ?? '' };
  });
}

/**
 * Streams an object to `path` without holding it in memory and returns the ETag of what was written.
 * With `ifMatch`, S3 refuses (412) an object that changed since it was listed; servers that ignore
 * If-Match are caught by comparing the ETag of the response. A failed download leaves no partial file.
 */
export async function downloadObject(
  client: S3Client,
  bucket: string,
  key: string,
  path: string,
  ifMatch?: string,
): Promise<{ etag: string; changed: boolean }> {
  try {
    const object = await client.send(
      new GetObjectCommand({ Bucket: bucket, Key: key, IfMatch: ifMatch || undefined }),
    );
    const etag = object.ETag ?? '';
    if (ifMatch && etag && etag !== ifMatch) {
      (object.Body as Readable | undefined)?.destroy();
      return { etag, changed: true };
    }
    if (!object.Body) throw new Error('the response has no body');
    await pipeline(object.Body as Readable, createWriteStream(path));
    return { etag, changed: false };
  } catch (error) {
    await rm(path, { force: true });
    if (ifMatch && isPreconditionFailed(error)) return { etag: '', changed: true };
    throw error;
  }
}

/** A read's result, or null when the object (not the bucket) does not exist. */
async function nullWhenMissing<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

export function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException) || error.name === 'NoSuchBucket') return false;
  return error.name === 'NoSuchKey' || error.name === 'NotFound' || error.$metadata?.httpStatusCode === 404;
}

/** 412 from If-Match / If-None-Match, or 409 when S3 saw a concurrent conditional write to the key. */
export function isPreconditionFailed(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  const status = error.$metadata?.httpStatusCode;
  return (
    error.name === 'PreconditionFailed' ||
    error.name === 'ConditionalRequestConflict' ||
    status === 412 ||
    status === 409
  );
}

/** Throttling, 5xx and network failures are worth retrying; access denied or a missing bucket is not. */
export function isRetryableS3Error(error: unknown): boolean {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata?.httpStatusCode ?? 0;
    return status >= 500 || status === 429 || error.$retryable !== undefined;
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'EPIPE';
}

/** The SDK's error as one line: its name, HTTP status and message (S3 errors carry no credentials). */
export function describeS3Error(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata?.httpStatusCode;
    const message = error.message && error.message !== error.name ? `: ${error.message}` : '';
    return `${error.name}${status ? ` (HTTP ${status})` : ''}${message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** ETag without its quotes, for version strings. */
export function bareEtag(etag: string): string {
  return etag.replace(/^W\//, '').replace(/^"|"$/g, '');
}

/**
 * Runs `work` over `items` with at most `limit` in flight, keeping the result order. After a failure no new
 * item starts and the call waits for those in flight, so a caller's cleanup never races a running download.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await work(items[index] as T);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const settled = await Promise.allSettled(Array.from({ length: Math.min(limit, items.length) }, worker));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (rejected) throw rejected.reason;
  return results;
}
