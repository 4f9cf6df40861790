import type { FactQuery, SnapshotMeta } from '../../app/ingest-ports.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';
import { columnText, FACT_COLUMNS, factFromText, storedType } from './fact-columns.js';

/**
 * Writes facts to one Parquet file (exact DECIMAL money, zstd); an empty list still writes the schema.
 * The snapshot's own metadata travels in the file's key-value metadata, so a snapshot describes itself.
 */
export async function writeFactsParquet(
  db: DuckDb,
  facts: readonly DailyFact[],
  path: string,
  meta: SnapshotMeta,
): Promise<void> {
  const staging = FACT_COLUMNS.map((c) => `${sqlIdentifier(c.name)} VARCHAR`).join(', ');
  await db.run(`CREATE OR REPLACE TEMP TABLE facts_staging (${staging})`);
  const appender = await db.connection.createAppender('facts_staging');
  for (const fact of facts) {
    for (const column of FACT_COLUMNS) appender.appendVarchar(columnText(fact, column));
    appender.endRow();
  }
  appender.closeSync();
  const typed = FACT_COLUMNS.map(
    (c) => `CAST(${sqlIdentifier(c.name)} AS ${storedType(c.kind)}) AS ${sqlIdentifier(c.name)}`,
  ).join(', ');
  await db.run(
    `COPY (SELECT ${typed} FROM facts_staging ORDER BY usage_date, workload, model, usage_kind)
     TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd, KV_METADATA {${kvMetadata(meta)}})`,
  );
  await db.run('DROP TABLE facts_staging');
}

const META_KEYS = {
  snapshotId: 'bedrock_cost.snapshot_id',
  newestUsageEnd: 'bedrock_cost.newest_usage_end',
} as const;

function kvMetadata(meta: SnapshotMeta): string {
  return Object.entries(META_KEYS)
    .map(([field, key]) => `${sqlString(key)}: ${sqlString(meta[field as keyof SnapshotMeta] ?? '')}`)
    .join(', ');
}

/** Reads the snapshot metadata written by writeFactsParquet, per file. */
export async function readSnapshotMeta(
  db: DuckDb,
  files: readonly string[],
): Promise<Map<string, SnapshotMeta>> {
  const out = new Map<string, SnapshotMeta>(files.map((f) => [f, { snapshotId: '', newestUsageEnd: null }]));
  if (files.length === 0) return out;
  const rows = await db.rows<{ file_name: string; k: string; v: string }>(
    `SELECT file_name, CAST(key AS VARCHAR) AS k, CAST(value AS VARCHAR) AS v
     FROM parquet_kv_metadata([${files.map(sqlString).join(', ')}])`,
  );
  for (const row of rows) {
    const meta = out.get(row.file_name);
    if (!meta) continue;
    if (row.k === META_KEYS.snapshotId) meta.snapshotId = row.v;
    if (row.k === META_KEYS.newestUsageEnd) meta.newestUsageEnd = row.v || null;
  }
  return out;
}

/** Reads facts from Parquet files (the dataset's `billing_period=…/<export>.parquet` files). */
export async function readFactsParquet(
  db: DuckDb,
  files: readonly string[],
  query: FactQuery,
): Promise<DailyFact[]> {
  if (files.length === 0) return [];
  const list = `[${files.map(sqlString).join(', ')}]`;
  const conditions = [
    query.from ? `usage_date >= ${sqlString(query.from)}` : null,
    query.to ? `usage_date <= ${sqlString(query.to)}` : null,
  ].filter((c) => c !== null);
  const text = FACT_COLUMNS.map(
    (c) => `CAST(${sqlIdentifier(c.name)} AS VARCHAR) AS ${sqlIdentifier(c.name)}`,
  ).join(', ');
  const rows = await db.rows<Record<string, string | null>>(
    `SELECT ${text} FROM read_parquet(${list}, union_by_name = true, hive_partitioning = false)
     ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
     ORDER BY usage_date, billing_period, source_export, workload, model, usage_kind, usage_account`,
  );
  return rows.map(factFromText);
}
