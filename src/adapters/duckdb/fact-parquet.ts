import type { FactQuery, SnapshotMeta } from '../../app/ingest-ports.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';
import { columnText, FACT_COLUMNS, factFromJson, storedType } from './fact-columns.js';

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
/** Rows per JSON chunk handed from DuckDB to JS. */
const CHUNK_ROWS = 20_000;

/**
 * Reads facts from Parquet files (the dataset's `billing_period=…/<export>.parquet` files). DuckDB serialises
 * the rows to JSON text in chunks and V8's JSON.parse builds the objects: an order of magnitude faster and
 * leaner than converting every value through the client's vector accessors (measured: 438k facts in ~4 s
 * instead of ~34 s). Money and usage travel as exact decimal strings.
 */
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
  const fields = FACT_COLUMNS.map((c) => {
    const name = sqlIdentifier(c.name);
    const value = c.kind === 'text' || c.kind === 'int' ? name : `CAST(${name} AS VARCHAR)`;
    return `${name} := ${value}`;
  }).join(', ');
  const chunks = await db.rows<{ chunk: string }>(
    `WITH ordered AS (
       SELECT row_number() OVER (ORDER BY usage_date, billing_period, source_export, workload, model, usage_kind,
                                          usage_account, usage_type, iam_principal, resource_id, line_item_type) AS n,
              struct_pack(${fields}) AS fact
       FROM read_parquet(${list}, union_by_name = true, hive_partitioning = false)
       ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''})
     SELECT CAST(to_json(list(fact ORDER BY n)) AS VARCHAR) AS chunk
     FROM ordered GROUP BY (n - 1) // ${CHUNK_ROWS} ORDER BY (n - 1) // ${CHUNK_ROWS}`,
  );
  const facts: DailyFact[] = [];
  for (const { chunk } of chunks) {
    for (const row of JSON.parse(chunk) as Record<string, string | number | null>[])
      facts.push(factFromJson(row));
  }
  return facts;
}
