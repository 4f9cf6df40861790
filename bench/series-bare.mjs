// The reference job for bench/detect-bench.mjs: DuckDB alone builds the rule series (the statements in
// sql/series/, the same text detect runs) over the same fact files, in a whole Node process of its own, and
// reads every row back. What detect adds on top of this is the price of judging the series in TypeScript.
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = resolve(import.meta.dirname, '..');
const { seriesSql } = await import(join(ROOT, 'dist/adapters/cur-sql/series-sql.js'));
const { SERIES_GRAINS } = await import(join(ROOT, 'dist/core/rules/rule-series.js'));

const [threads, from, to, ...files] = process.argv.slice(2);
const relation = `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}], union_by_name = true, hive_partitioning = false)`;
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
let rows = 0;
for (const grain of [...Object.keys(SERIES_GRAINS), 'coverage']) {
  const reader = await connection.runAndReadAll(seriesSql(grain, relation, { from, to }));
  rows += reader.currentRowCount;
}
process.stdout.write(`${JSON.stringify({ rows })}\n`);
connection.closeSync();
instance.closeSync();
