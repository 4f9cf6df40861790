import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Delivery } from '../../app/ports/ingest.js';
import { type Manifest, parseManifest } from '../../core/cur/manifest.js';
import { InputError } from '../../core/errors.js';
import { formatS3Uri, parseS3Uri } from './s3-location.js';
import {
  bareEtag,
  describeS3Error,
  downloadObject,
  getObjectText,
  headObject,
  isNotFound,
  isRetryableS3Error,
  listObjects,
  mapLimit,
  type S3ObjectInfo,
} from './s3-objects.js';

const DATA_FILE = /\.(parquet|csv|csv\.gz|gz)$/i;
const MANIFEST = /-Manifest\.json$/i;
const CUR2_PERIOD_DIR = /^BILLING_PERIOD=\d{4}-\d{2}$/;
const LEGACY_PERIOD_DIR = /^\d{8}-\d{8}$/;
/** Parallel HEADs and downloads: enough to fill a Lambda's bandwidth without tripping S3 request limits. */
const CONCURRENCY = 4;

export interface S3DiscoverOptions {
  client: S3Client;
  /** Parent of the temporary download folder (default: the OS temp dir). */
  workDir?: string;
  /**
   * 'eager' (default): every delivery's files are on local disk when discovery resolves.
   * 'lazy': nothing is downloaded until `download(delivery)`; use it for export roots, where each
   * billing period is a delivery and downloading every period up front could fill the disk.
   */
  download?: 'eager' | 'lazy';
}

/** Deliveries found under an s3:// URI, and the local copies of their data files. */
export interface S3Discovery {
  /** Each delivery's version is fixed at discovery (manifest + data file ETags); `files[].path` is local. */
  deliveries: Delivery[];
  /** Streams the delivery's files to local disk; a no-op once they are there. Fails if an object changed. */
  download(delivery: Delivery): Promise<void>;
  /** Deletes the delivery's local copies, to bound disk use after it is ingested. */
  release(delivery: Delivery): Promise<void>;
  /** Deletes every local copy. */
  cleanup(): Promise<void>;
}

interface Draft {
  delivery: Omit<Delivery, 'files'>;
  objects: readonly S3ObjectInfo[];
}

interface Plan {
  dir: string;
  files: { key: string; etag: string; path: string; label: string }[];
  downloaded: boolean;
}

/**
 * Turns an s3:// URI — a manifest key, an export root laid out as AWS writes it, one data file or a prefix of
 * data files — into deliveries, as `discoverLocalDeliveries` does for local paths. Manifests are read and every
 * listed object's ETag is taken at discovery, so `version` is known (and the ledger can be consulted) before
 * any data is downloaded; downloads use If-Match on those ETags, so the bytes ingested are the ones versioned.
 * DuckDB's httpfs is not bundled: data files are streamed to local disk and read there.
 */
export async function discoverS3Deliveries(uri: string, options: S3DiscoverOptions): Promise<S3Discovery> {
  const { bucket, key } = parseS3Uri(uri);
  const { client } = options;
  const drafts = await findDeliveries(client, uri, bucket, key);
  const parent = options.workDir ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const root = await mkdtemp(join(parent, 'bedrock-cost-s3-'));
  const plans = new Map<string, Plan>();
  const deliveries = drafts.map((draft, i) => {
    const dir = join(root, String(i + 1));
    const files = draft.objects.map((object, j) => ({
      key: object.key,
      etag: object.etag,
      label: formatS3Uri(bucket, object.key),
      // One folder per file keeps AWS's file name and extension even when two keys share a base name.
      path: join(dir, String(j + 1), localName(object.key)),
    }));
    plans.set(draft.delivery.objectKey, { dir, files, downloaded: false });
    return { ...draft.delivery, files: files.map(({ path, label }) => ({ path, label })) };
  });

  const planOf = (delivery: Delivery): Plan => {
    const plan = plans.get(delivery.objectKey);
    if (!plan)
      throw new Error(`${delivery.objectKey}: not a delivery of this discovery (or already cleaned up)`);
    return plan;
  };
  const discovery: S3Discovery = {
    deliveries,
    download: (delivery) => downloadPlan(client, bucket, planOf(delivery)),
    async release(delivery) {
      const plan = planOf(delivery);
      plan.downloaded = false;
      await rm(plan.dir, { recursive: true, force: true });
    },
    async cleanup() {
      plans.clear();
      await rm(root, { recursive: true, force: true });
    },
  };
  if ((options.download ?? 'eager') === 'eager') {
    try {
      for (const delivery of deliveries) await discovery.download(delivery);
    } catch (error) {
      await discovery.cleanup();
      throw error;
    }
  }
  return discovery;
}

async function findDeliveries(client: S3Client, uri: string, bucket: string, key: string): Promise<Draft[]> {
  const exactKey = key !== '' && !key.endsWith('/');
  if (exactKey) {
    if (MANIFEST.test(key)) return [await manifestDraft(client, bucket, key, new Map())];
    const object = await readS3(uri, () => headObject(client, bucket, key));
    if (object) return [filesDraft(bucket, key, [object], false)];
  }
  // `s3://bucket/cur` means the folder cur/, not every key starting with "cur" (cur-old/, curated/…).
  const prefix = exactKey ? `${key}/` : key;
  const objects = await readS3(uri, () => listObjects(client, bucket, prefix));
  const manifests = objects.filter((o) => isPeriodManifest(o.key));
  if (manifests.length > 0) {
    const known = new Map(objects.map((o) => [o.key, o]));
    const drafts: Draft[] = [];
    for (const manifest of manifests) drafts.push(await manifestDraft(client, bucket, manifest.key, known));
    return drafts;
  }
  const dataFiles = objects.filter((o) => DATA_FILE.test(o.key));
  if (dataFiles.length === 0) {
    if (objects.length === 0) {
      throw new InputError(
        `${uri}: ${exactKey ? 'no such object, and no objects under it' : 'no objects under this prefix'}`,
      );
    }
    throw new InputError(
      `${uri}: no CUR manifest (…-Manifest.json under metadata/BILLING_PERIOD=… or <yyyymmdd-yyyymmdd>/) and no data files (.parquet, .csv, .csv.gz) found`,
    );
  }
  return [filesDraft(bucket, prefix, dataFiles, true)];
}

/** Manifests AWS writes per billing period: CUR 2.0 `metadata/BILLING_PERIOD=…/`, legacy `<yyyymmdd-yyyymmdd>/`. */
function isPeriodManifest(key: string): boolean {
  if (!MANIFEST.test(key)) return false;
  const parent = posix.basename(posix.dirname(key));
  return (
    (CUR2_PERIOD_DIR.test(parent) && posix.basename(posix.dirname(posix.dirname(key))) === 'metadata') ||
    LEGACY_PERIOD_DIR.test(parent)
  );
}

async function manifestDraft(
  client: S3Client,
  bucket: string,
  manifestKey: string,
  known: ReadonlyMap<string, S3ObjectInfo>,
): Promise<Draft> {
  const manifestUri = formatS3Uri(bucket, manifestKey);
  // A manifest is a small JSON document; only data files are streamed to disk.
  const object = await readS3(manifestUri, () => getObjectText(client, bucket, manifestKey));
  if (!object) throw new InputError(`${manifestUri}: no such object`);
  const manifest = parseS3Manifest(object.text, manifestKey, manifestUri);
  const objects = await mapLimit(manifest.dataFiles, CONCURRENCY, async (dataFile) => {
    const lookedFor = formatS3Uri(bucket, dataFile.key);
    const found =
      known.get(dataFile.key) ?? (await readS3(lookedFor, () => headObject(client, bucket, dataFile.key)));
    if (!found) {
      throw new InputError(
        `${manifestUri}: lists data file ${dataFile.uri}, which does not exist${dataFile.uri === lookedFor ? '' : ` (looked for ${lookedFor})`}`,
      );
    }
    return found;
  });
  return {
    delivery: {
      exportName: manifest.exportName,
      objectKey: manifestUri,
      version: [object.etag, ...objects.map((o) => o.etag)].map(bareEtag).join(';'),
      billingPeriod: manifest.billingPeriod,
    },
    objects,
  };
}

/** Data keys resolve relative to the manifest's S3 key; messages name the manifest by its s3:// URI. */
function parseS3Manifest(text: string, manifestKey: string, manifestUri: string): Manifest {
  try {
    return parseManifest(text, manifestKey);
  } catch (error) {
    if (error instanceof InputError && error.message.startsWith(`${manifestKey}:`)) {
      throw new InputError(`${manifestUri}${error.message.slice(manifestKey.length)}`, { cause: error });
    }
    throw error;
  }
}

function filesDraft(
  bucket: string,
  root: string,
  objects: readonly S3ObjectInfo[],
  isFolder: boolean,
): Draft {
  const rootKey = root.replace(/\/+$/, '');
  const name = isFolder
    ? posix.basename(rootKey) || bucket
    : posix.basename(rootKey).replace(/(\.snappy)?\.(parquet|csv\.gz|csv|gz)$/i, '');
  return {
    delivery: {
      exportName: name.replace(/-\d{5}$/, '').replace(/[^A-Za-z0-9._-]/g, '_'),
      objectKey: formatS3Uri(bucket, rootKey),
      version: objects
        .map((o) => `${isFolder ? o.key.slice(root.length) : posix.basename(o.key)}:${bareEtag(o.etag)}`)
        .join(';'),
      billingPeriod: null,
    },
    objects,
  };
}

async function downloadPlan(client: S3Client, bucket: string, plan: Plan): Promise<void> {
  if (plan.downloaded) return;
  await mapLimit(plan.files, CONCURRENCY, async (file) => {
    await mkdir(dirname(file.path), { recursive: true });
    let result: { etag: string; changed: boolean };
    try {
      result = await downloadObject(client, bucket, file.key, file.path, file.etag);
    } catch (error) {
      if (isNotFound(error)) {
        throw new InputError(
          `${file.label}: deleted after the delivery was discovered; retry to ingest the current delivery`,
          {
            cause: error,
            retryable: true,
          },
        );
      }
      throw new InputError(`${file.label}: cannot download: ${describeS3Error(error)}`, {
        cause: error,
        retryable: isRetryableS3Error(error),
      });
    }
    if (result.changed) {
      // AWS rewrites a period's files in place; the manifest written after them will be a new delivery.
      throw new InputError(
        `${file.label}: changed after the delivery was discovered (ETag ${bareEtag(file.etag)}${result.etag ? `, now ${bareEtag(result.etag)}` : ''}); retry to ingest the new version`,
        { retryable: true },
      );
    }
  });
  plan.downloaded = true;
}

async function readS3<T>(uri: string, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    throw new InputError(`${uri}: cannot read from S3: ${describeS3Error(error)}`, {
      cause: error,
      retryable: isRetryableS3Error(error),
    });
  }
}

/** The key's base name as a local file name; S3 allows names ("..", "") a file system would misread. */
function localName(key: string): string {
  const name = posix.basename(key);
  return name === '' || name === '.' || name === '..' ? 'object' : name;
}
