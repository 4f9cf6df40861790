import { stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { localFactStore } from '../adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../adapters/local-fs/ingest-ledger.js';
import type { FactStore, IngestLedger } from '../app/ports/ingest.js';

/** Default store root for the embedded mode. */
export const DEFAULT_STORE = './.bedrock-cost';

export const STORE_HELP =
  'fact store root: a local directory (default ./.bedrock-cost, or $BEDROCK_COST_STORE) or s3://bucket/prefix';

export function storeRoot(option: string | undefined): string {
  return option ?? process.env.BEDROCK_COST_STORE ?? DEFAULT_STORE;
}

/** The fact store and ingest ledger at `root`; the S3 SDK is loaded only for an s3:// root. */
export async function openStore(root: string): Promise<{ store: FactStore; ledger: IngestLedger }> {
  if (root.startsWith('s3://')) {
    const [{ s3FactStore }, { s3IngestLedger }, { parseS3Uri, s3Client }] = await Promise.all([
      import('../adapters/s3/fact-store.js'),
      import('../adapters/s3/ingest-ledger.js'),
      import('../adapters/s3/s3-location.js'),
    ]);
    const { bucket, key } = parseS3Uri(root);
    const client = s3Client();
    return {
      store: s3FactStore({ client, bucket, prefix: key }),
      ledger: s3IngestLedger({ client, bucket, prefix: key }),
    };
  }
  const dir = resolve(root);
  return { store: localFactStore(dir), ledger: localIngestLedger(dir) };
}

/**
 * The store for a command that reads facts (facts, detect, notify, digest, review): a local store that
 * does not exist is an error naming it, not an empty answer ("no findings", $0) with exit 0.
 */
export async function openExistingStore(root: string): Promise<{ store: FactStore; ledger: IngestLedger }> {
  if (root.startsWith('s3://')) {
    // Under S3 a prefix that does not exist and one with nothing in it look the same: no snapshots.
    const opened = await openStore(root);
    if ((await opened.store.snapshots()).length === 0) {
      throw new Error(
        `no fact store at ${root} (no fact snapshots under it): ingest CUR into it first (bedrock-cost ingest <export> --store ${root}), or point --store or $BEDROCK_COST_STORE at an existing store`,
      );
    }
    return opened;
  }
  const dir = resolve(root);
  const facts = await stat(join(dir, 'facts')).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!facts) {
    throw new Error(
      `no fact store at ${root} (${dir} has no facts/ folder): ingest CUR into it first (bedrock-cost ingest <export> --store ${root}), or point --store or $BEDROCK_COST_STORE at an existing store`,
    );
  }
  return openStore(root);
}
