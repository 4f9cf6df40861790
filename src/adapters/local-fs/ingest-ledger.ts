import { join } from 'node:path';
import type { IngestLedger, LedgerEntry } from '../../app/ports/ingest.js';
import { readJsonFile, writeJsonFileAtomic } from './json-file.js';
import { withFileLock } from './notification-log.js';

interface LedgerFile {
  version: 1;
  entries: Record<string, LedgerEntry>;
}

/**
 * The ingest ledger as `<root>/state/ingest-ledger.json`, keyed on the delivery's object key. Entries are
 * added under the state directory's file lock, so concurrent ingests into one store never lose each other's.
 */
export function localIngestLedger(root: string): IngestLedger {
  const path = join(root, 'state', 'ingest-ledger.json');
  const load = () => readJsonFile<LedgerFile>(path, { version: 1, entries: {} });
  return {
    async get(objectKey) {
      return (await load()).entries[objectKey] ?? null;
    },
    async put(entry) {
      await withFileLock(`${path}.lock`, async () => {
        const file = await load();
        file.entries[entry.objectKey] = entry;
        await writeJsonFileAtomic(path, file);
      });
    },
  };
}
