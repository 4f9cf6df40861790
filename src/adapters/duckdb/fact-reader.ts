import { DuckDBDecimal128Vector, type DuckDBVector } from '@duckdb/node-api';
import type { DayWindow, FactReader } from '../../app/ports/ingest.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { COST_METRICS, type CostMetric } from '../../core/facts/fact-filters.js';
import { MONEY_SCALE, type Money } from '../../core/money.js';
import { DETAIL_FIELDS, type DetailField, type DetailRequest } from '../../core/rules/fact-detail.js';
import {
  emptyGrid,
  type GrainGrid,
  grainKey,
  moneyMeasures,
  type RuleSeries,
  SERIES_GRAINS,
  type SeriesGrainName,
} from '../../core/rules/rule-series.js';
import { seriesSql } from '../cur-sql/series-sql.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';
import { factRelation, readFactsParquet, readFactsRolledUp, readFactsWhere } from './fact-parquet.js';

/** Money crosses from DuckDB as DECIMAL(38,15) read raw: its unscaled integer is the Money value itself. */
const MONEY_TYPE = `DECIMAL(38, ${MONEY_SCALE})`;

/**
 * The fact store's files read through DuckDB: rule series by the statements in `sql/series/`, detail facts of
 * the requested series-days, plain reads. One DuckDB instance serves the whole session.
 */
export function duckDbFactReader(db: DuckDb, files: readonly string[]): FactReader {
  return {
    read: (query) => readFactsParquet(db, files, query),
    ruleSeries: (window, metrics) => readRuleSeries(db, files, window, metrics ?? COST_METRICS),
    detail: (requests) => readDetail(db, files, requests),
    rollup: (query, keep) => readFactsRolledUp(db, files, query, keep),
  };
}

/** A DECIMAL(38,15) result column, whose raw values are exact Money. */
function decimalColumn(vector: DuckDBVector): DuckDBDecimal128Vector {
  if (!(vector instanceof DuckDBDecimal128Vector) || vector.type.scale !== MONEY_SCALE) {
    throw new Error(`rule series: expected a ${MONEY_TYPE} column, got ${vector.type.toString()}`);
  }
  return vector;
}

async function readRuleSeries(
  db: DuckDb,
  files: readonly string[],
  window: DayWindow,
  metrics: readonly CostMetric[],
): Promise<RuleSeries> {
  const grids = {} as { [G in SeriesGrainName]: GrainGrid<G> };
  let coverageStart: string | null = null;
  let factCount = 0;
  let commitmentFees: DailyFact[] = [];
  if (files.length === 0) {
    for (const grain of Object.keys(SERIES_GRAINS) as SeriesGrainName[]) {
      (grids as Record<SeriesGrainName, unknown>)[grain] = emptyGrid(grain, [], window.from, window.to);
    }
  } else {
    const facts = factRelation(files);
    for (const grain of Object.keys(SERIES_GRAINS) as SeriesGrainName[]) {
      (grids as Record<SeriesGrainName, unknown>)[grain] = await readGrain(db, facts, grain, window, metrics);
    }
    const [coverage] = await db.rows<{ coverage_start: string | null; facts: bigint | number }>(
      seriesSql('coverage', facts, window),
    );
    coverageStart = coverage?.coverage_start ?? null;
    factCount = Number(coverage?.facts ?? 0);
    commitmentFees = await readFactsWhere(db, files, seriesSql('commitment_fees', 'f', window));
  }
  return {
    firstDay: window.from,
    lastDay: window.to,
    coverageStart,
    factCount,
    workloadModel: grids.workload_model,
    workload: grids.workload,
    day: grids.day,
    prodEnvironment: grids.prod_environment,
    onDemand: grids.on_demand,
    commitmentFees,
  };
}

/**
 * One grain's statement into a dense grid. The statement's result is kept in a temporary table, its distinct
 * keys read first (the grid is sized by them), then its rows streamed: key columns, the day's position in the
 * window, numbers as doubles (token sums are integers far below 2^53) and money as two exact parts.
 */
async function readGrain<G extends SeriesGrainName>(
  db: DuckDb,
  facts: string,
  grain: G,
  window: DayWindow,
  metrics: readonly CostMetric[],
): Promise<GrainGrid<G>> {
  const spec = SERIES_GRAINS[grain];
  const table = sqlIdentifier(`series_${grain}`);
  const keyColumns = spec.keys.map((k) => sqlIdentifier(k));
  const numbers = spec.numbers as readonly string[];
  // Only the cost metrics the rules read: DuckDB drops the other sums from the aggregate.
  const money = moneyMeasures(grain, metrics);
  const kept = [...keyColumns, 'usage_date', ...numbers, ...money].map((c) =>
    c.startsWith('"') ? c : sqlIdentifier(c),
  );
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${kept.join(', ')} FROM (${seriesSql(grain, facts, window)}) AS s`,
  );
  try {
    const keyRows: Record<string, string | null>[] = keyColumns.length
      ? await db.rows<Record<string, string | null>>(`SELECT DISTINCT ${keyColumns.join(', ')} FROM ${table}`)
      : (await db.rows<{ n: number }>(`SELECT COUNT(*)::INTEGER AS n FROM ${table}`)).flatMap((r) =>
          r.n > 0 ? [{}] : [],
        );
    const keyOf = (values: readonly (string | null)[]) => grainKey(values.map((v) => v ?? ''));
    const grid = emptyGrid(
      grain,
      keyRows.map((row) => keyOf(spec.keys.map((k) => row[k] ?? null))),
      window.from,
      window.to,
    );
    const projection = [
      ...keyColumns,
      `CAST(date_diff('day', DATE ${sqlString(window.from)}, CAST(usage_date AS DATE)) AS INTEGER) AS d__`,
      ...numbers.map((n) => `CAST(${sqlIdentifier(n)} AS DOUBLE)`),
      ...money.map((m) => `CAST(${sqlIdentifier(m)} AS ${MONEY_TYPE})`),
    ];
    const result = await db.connection.stream(`SELECT ${projection.join(', ')} FROM ${table}`);
    const keyCount = keyColumns.length;
    const dayCount = grid.dayCount;
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const plain = keyCount + 1 + numbers.length;
      const columns = Array.from({ length: plain }, (_, i) => chunk.getColumnValues(i));
      const decimals = money.map((_, i) => decimalColumn(chunk.getColumnVector(plain + i)));
      const keyValues = columns.slice(0, keyCount) as (string | null)[][];
      const days = columns[keyCount] as number[];
      const keyIndex = new Map<string, number>();
      for (let r = 0; r < chunk.rowCount; r++) {
        const key = keyOf(keyValues.map((col) => col[r]!));
        let k = keyIndex.get(key);
        if (k === undefined) {
          k = grid.indexOfKey(key);
          keyIndex.set(key, k);
        }
        const d = days[r]!;
        if (k < 0 || d < 0 || d >= dayCount) continue;
        const slot = grid.slotOf(k, d);
        grid.mark(slot);
        let c = keyCount + 1;
        for (const name of numbers) grid.addNumber(name as never, slot, (columns[c++] as number[])[r]!);
        money.forEach((name, i) => {
          grid.setMoney(name as never, slot, (decimals[i]!.getScaledValue(r) ?? 0n) as Money);
        });
      }
    }
    return grid as GrainGrid<G>;
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
}

/**
 * The facts of the requested series-days: requests of one shape (say workload × day) become a small temporary
 * table the facts are hash-joined with (left joins, one per shape, on distinct request rows, so no fact is
 * repeated), so thousands of requests cost one scan.
 */
async function readDetail(
  db: DuckDb,
  files: readonly string[],
  requests: readonly DetailRequest[],
): Promise<DailyFact[]> {
  if (files.length === 0 || requests.length === 0) return [];
  const byShape = new Map<string, { fields: DetailField[]; rows: Set<string> }>();
  for (const request of requests) {
    const fields = (Object.keys(DETAIL_FIELDS) as DetailField[]).filter(
      (f) => request.scope[f] !== undefined,
    );
    const shape = fields.join(',');
    let group = byShape.get(shape);
    if (!group) {
      group = { fields, rows: new Set() };
      byShape.set(shape, group);
    }
    group.rows.add(`(${[...fields.map((f) => request.scope[f]!), request.day].map(sqlString).join(', ')})`);
  }
  const tables: string[] = [];
  const joins: string[] = [];
  const matched: string[] = [];
  try {
    for (const { fields, rows } of byShape.values()) {
      const table = sqlIdentifier(`detail_${tables.length}`);
      const alias = `r${tables.length}`;
      const columns = [...fields.map((f) => DETAIL_FIELDS[f]), 'usage_date'].map(sqlIdentifier);
      await db.run(
        `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT * FROM (VALUES ${[...rows].join(', ')}) AS v(${columns.join(', ')})`,
      );
      tables.push(table);
      joins.push(
        `LEFT JOIN ${table} AS ${alias} ON ${columns.map((c) => `${alias}.${c} = f.${c}`).join(' AND ')}`,
      );
      matched.push(`${alias}.usage_date IS NOT NULL`);
    }
    return await readFactsWhere(db, files, matched.join(' OR '), joins.join(' '));
  } finally {
    for (const table of tables) await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
