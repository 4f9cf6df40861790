import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { FactQuery, FactStore, StoredSnapshot } from '../../app/ports/ingest.js';
import { StoreError } from '../../core/errors.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { withDuckDb } from '../duckdb/duckdb.js';
import { readFactsParquet, readSnapshotMeta, writeFactsParquet } from '../duckdb/fact-parquet.js';
import { processAlive } from './notification-log.js';

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
      const temp = join(dir, `.${exportName}.parquet.${TEMP_OWNER}.${randomBytes(4).toString('hex')}.tmp`);
      try {
        await mkdir(dir, { recursive: true });
        await removeOrphanTemps(dir);
        await withDuckDb((db) => writeFactsParquet(db, facts, temp, meta));
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw new StoreError(`cannot write facts ${target}: ${(error as Error).message}`, { cause: error });
      }
    },
    async read(query: FactQuery): Promise<DailyFact[]> {
      const files = (await listSnapshotFiles(factsDir))
        .filter((s) => !query.billingPeriod || s.billingPeriod === query.billingPeriod)
        .map((s) => s.path);
      // Nothing stored (a first ingest): no database to open.
      if (files.length === 0) return [];
      return withDuckDb((db) => readFactsParquet(db, files, query));
    },
    async withReader(work) {
      const files = (await listSnapshotFiles(factsDir)).map((s) => s.path);
      // Loaded when first asked for: ingest, which never reads series, does not pay for its modules at start-up.
      const { duckDbFactReader } = await import('../duckdb/fact-reader.js');
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

/** Temporary snapshot files carry their writer: `<host>-<pid>`, so an orphan can be told from a live write. */
const TEMP_OWNER = `${hostname().replace(/[^A-Za-z0-9]/g, '_')}-${process.pid}`;
// Files of earlier versions carry the pid alone: they were written on this host.
const TEMP_FILE = /^\.[^/]+\.parquet\.(?:([A-Za-z0-9_]+)-)?(\d+)\.[0-9a-f]{8}\.tmp(\.[0-9a-f]{8}\.json)?$/;
/** A temporary file of another host is removed only when older than this (its writer cannot be asked). */
const FOREIGN_TEMP_MAX_AGE_MS = 24 * 60 * 60_000;

/**
 * Removes the temporary files a killed ingest left in a period folder: those whose writer process on this
 * host is gone, and other hosts' older than a day. A live writer's file (another ingest running now) stays.
 */
async function removeOrphanTemps(dir: string): Promise<void> {
  const [host] = TEMP_OWNER.split(/-(?=\d+$)/);
  for (const name of await readdir(dir)) {
    const match = TEMP_FILE.exec(name);
    if (!match) continue;
    const path = join(dir, name);
    let orphan: boolean;
    if (match[1] === undefined || match[1] === host) {
      orphan = !processAlive(Number(match[2]));
    } else {
      const info = await stat(path).catch(() => null);
      orphan = info !== null && Date.now() - info.mtimeMs > FOREIGN_TEMP_MAX_AGE_MS;
    }
    if (orphan) await rm(path, { force: true });
  }
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
