import type { FactQuery } from '../../app/ingest-ports.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';
import { columnText, FACT_COLUMNS, factFromText, storedType } from './fact-columns.js';

/** Writes facts to one Parquet file (exact DECIMAL money, zstd); an empty list still writes the schema. */
export async function writeFactsParquet(
  db: DuckDb,
  facts: readonly DailyFact[],
  path: string,
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
     TO ${sqlString(path)} (FORMAT parquet, COMPRESSION zstd)`,
  );
  await db.run('DROP TABLE facts_staging');
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
