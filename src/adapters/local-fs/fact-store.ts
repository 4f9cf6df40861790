import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FactQuery, FactStore, StoredSnapshot } from '../../app/ingest-ports.js';
import { StoreError } from '../../core/errors.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { withDuckDb } from '../duckdb/duckdb.js';
import { readFactsParquet, readSnapshotMeta, writeFactsParquet } from '../duckdb/fact-parquet.js';
import { duckDbFactReader } from '../duckdb/fact-reader.js';

const PERIOD_DIR = /^billing_period=(\d{4}-\d{2})$/;

/**
 * The fact dataset on local disk: `<root>/facts/billing_period=YYYY-MM/<export>.parquet`. A snapshot is
 * written to a temporary file beside its target and renamed over it, so readers see the old or the new
 * snapshot, never a partial one, and a failed write leaves the previous snapshot in place.
 */
export function localFactStore(root: string): FactStore {
  const factsDir = join(root, 'facts');
  return {
    location: factsDir,
    async replacePeriod(exportName, billingPeriod, facts, meta) {
      const dir = join(factsDir, `billing_period=${billingPeriod}`);
      const target = join(dir, `${exportName}.parquet`);
      const temp = join(dir, `.${exportName}.parquet.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await mkdir(dir, { recursive: true });
        await withDuckDb((db) => writeFactsParquet(db, facts, temp, meta));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw new StoreError(`cannot write facts ${target}: ${(error as Error).message}`, { cause: error });
      }
    },
    async read(query: FactQuery): Promise<DailyFact[]> {
      const files = (await listSnapshotFiles(factsDir)).map((s) => s.path);
      return withDuckDb((db) => readFactsParquet(db, files, query));
    },
    async withReader(work) {
      const files = (await listSnapshotFiles(factsDir)).map((s) => s.path);
      return withDuckDb((db) => work(duckDbFactReader(db, files)));
    },
    async snapshots(): Promise<StoredSnapshot[]> {
      const files = await listSnapshotFiles(factsDir);
      const metas = await withDuckDb(
        (db) =>
          readSnapshotMeta(
            db,
            files.map((f) => f.path),
          ),
        { threads: 1 },
      );
      return files.map(({ billingPeriod, exportName, path }) => ({
        billingPeriod,
        exportName,
        ...(metas.get(path) ?? { snapshotId: '', newestUsageEnd: null }),
      }));
    },
  };
}

async function listSnapshotFiles(
  factsDir: string,
): Promise<{ billingPeriod: string; exportName: string; path: string }[]> {
  const periods = await readdir(factsDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  const out: { billingPeriod: string; exportName: string; path: string }[] = [];
  for (const entry of periods) {
    const period = PERIOD_DIR.exec(entry.name)?.[1];
    if (!entry.isDirectory() || !period) continue;
    const files = await readdir(join(factsDir, entry.name));
    for (const file of files.sort()) {
      if (file.endsWith('.parquet') && !file.startsWith('.')) {
        out.push({
          billingPeriod: period,
          exportName: file.slice(0, -'.parquet'.length),
          path: join(factsDir, entry.name, file),
        });
      }
    }
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}
