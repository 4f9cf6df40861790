// The reference job for bench/detect-bench.mjs: DuckDB alone builds the rule series detect builds (the statements
// in sql/series/, the same text, with the same measures: only the cost metrics the rules read) over the same fact
// files, plus the coverage row and the commitment-fee facts, in a whole Node process of its own, and streams every
// result chunk back without converting a value. What detect adds on top of this is the price of turning the
// series into grids and judging them in TypeScript.
// Usage: series-bare.mjs <threads> <from> <to> <metrics, comma-separated> <fact files…>
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const ROOT = resolve(import.meta.dirname, '..');
const { seriesSql } = await import(join(ROOT, 'dist/adapters/cur-sql/series-sql.js'));
const { SERIES_GRAINS, moneyMeasures } = await import(join(ROOT, 'dist/core/rules/rule-series.js'));

const [threads, from, to, metricList, ...files] = process.argv.slice(2);
const metrics = metricList.split(',');
const relation = `read_parquet([${files.map((f) => `'${f.replaceAll("'", "''")}'`).join(', ')}], union_by_name = true, hive_partitioning = false)`;
const instance = await DuckDBInstance.create(':memory:', { threads });
const connection = await instance.connect();
await connection.run('SET parquet_metadata_cache = true');
const quote = (name) => `"${name}"`;
const statements = Object.entries(SERIES_GRAINS).map(([grain, spec]) => {
  const kept = [...spec.keys, 'usage_date', ...spec.numbers, ...moneyMeasures(grain, metrics)].map(quote);
  return `SELECT ${kept.join(', ')} FROM (${seriesSql(grain, relation, { from, to })}) AS s`;
});
statements.push(seriesSql('coverage', relation, { from, to }));
statements.push(`SELECT * FROM ${relation} AS f WHERE ${seriesSql('commitment_fees', 'f', { from, to })}`);
let rows = 0;
for (const sql of statements) {
  const result = await connection.stream(sql);
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    rows += chunk.rowCount;
  }
}
process.stdout.write(`${JSON.stringify({ rows })}\n`);
connection.closeSync();
instance.closeSync();
