import { resolve } from 'node:path';
import type { FactStore, IngestLedger } from '../app/ingest-ports.js';
import { localFactStore } from '../adapters/local-fs/fact-store.js';
import { localIngestLedger } from '../adapters/local-fs/ingest-ledger.js';

/** Default store root for the embedded mode. */
export const DEFAULT_STORE = './.bedrock-cost';

export const STORE_HELP =
  'fact store root: a local directory (default ./.bedrock-cost, or $BEDROCK_COST_STORE) or s3://bucket/prefix';

export function storeRoot(option: string | undefined): string {
  return option ?? process.env.BEDROCK_COST_STORE ?? DEFAULT_STORE;
}

export function openStore(root: string): { store: FactStore; ledger: IngestLedger } {
  if (root.startsWith('s3://')) {
    throw new Error('s3:// stores are wired in by the S3 adapter');
  }
  const dir = resolve(root);
  return { store: localFactStore(dir), ledger: localIngestLedger(dir) };
}
