import type { DuckDBVector } from '@duckdb/node-api';
import type { DayWindow, FactReader } from '../../app/ports/ingest.js';
import type { DailyFact } from '../../core/facts/daily-fact.js';
import { COST_METRICS, type CostMetric } from '../../core/facts/fact-filters.js';
import { MONEY_SCALE } from '../../core/money.js';
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
import { addMoneyParts, type MeasureColumn } from '../../core/rules/series-grid.js';
import { seriesSql } from '../cur-sql/series-sql.js';
import { decimalWords, splitRawWords } from './decimal-parts.js';
import { type DuckDb, sqlIdentifier, sqlString } from './duckdb.js';
import { factRelation, readFactsParquet, readFactsRolledUp, readFactsWhere } from './fact-parquet.js';
import { DuckDBDoubleVector, DuckDBIntegerVector } from './node-api.js';

/** Money is summed as DECIMAL(38,15) and read raw into the grid's exact two-double form (decimal-parts.ts). */
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
 * One grain's statement into a dense grid. The statement's result is kept in a temporary table; its distinct keys
 * (a few thousand at most) are numbered in a second small table and read first (the grid is sized by them), then
 * the rows are streamed as numbers only, read straight from DuckDB's column buffers: the key's number, the day's
 * position in the window, measures as doubles (token sums are integers far below 2^53) and money as its raw
 * DECIMAL, split by bit operations into the grid's own exact form. No string, BigInt or
 * row object is made per row.
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
  const keyTable = sqlIdentifier(`series_${grain}_keys`);
  const keyColumns = spec.keys.map((k) => sqlIdentifier(k));
  const numbers = spec.numbers as readonly string[];
  // Only the cost metrics the rules read: DuckDB drops the other sums from the aggregate.
  const money = moneyMeasures(grain, metrics);
  const kept = [...keyColumns, sqlIdentifier('usage_date'), ...[...numbers, ...money].map(sqlIdentifier)];
  await db.run(
    `CREATE OR REPLACE TEMP TABLE ${table} AS SELECT ${kept.join(', ')} FROM (${seriesSql(grain, facts, window)}) AS s`,
  );
  try {
    // A NULL key column reads as '' (as grainKey has it), so keys are numbered and joined on the coalesced text.
    const keyText = (column: string, alias: string) => `COALESCE(${alias}.${column}, '')`;
    await db.run(
      `CREATE OR REPLACE TEMP TABLE ${keyTable} AS
       SELECT ${keyColumns.map((c) => `${c}, `).join('')}CAST(row_number() OVER () - 1 AS INTEGER) AS key_id__
       FROM (SELECT DISTINCT ${keyColumns.length ? keyColumns.map((c) => `${keyText(c, 's')} AS ${c}`).join(', ') : '1 AS one__'} FROM ${table} AS s) AS d`,
    );
    const keyRows = await db.rows<Record<string, string> & { key_id__: number }>(`SELECT * FROM ${keyTable}`);
    const keyOfRow = keyRows.map((row) => grainKey(spec.keys.map((k) => row[k] ?? '')));
    const grid = emptyGrid(grain, keyOfRow, window.from, window.to);
    // key_id__ → the key's index in the grid (which sorts its keys).
    const gridIndex = new Int32Array(keyRows.length);
    keyRows.forEach((row, i) => {
      gridIndex[row.key_id__] = grid.indexOfKey(keyOfRow[i]!);
    });
    const projection = [
      'k.key_id__',
      `CAST(date_diff('day', DATE ${sqlString(window.from)}, CAST(s.usage_date AS DATE)) AS INTEGER)`,
      ...numbers.map((n) => `CAST(COALESCE(s.${sqlIdentifier(n)}, 0) AS DOUBLE)`),
      ...money.map((m) => `CAST(COALESCE(s.${sqlIdentifier(m)}, 0) AS ${MONEY_TYPE})`),
    ];
    const join = keyColumns.length
      ? `JOIN ${keyTable} AS k ON ${keyColumns.map((c) => `${keyText(c, 's')} = k.${c}`).join(' AND ')}`
      : `CROSS JOIN ${keyTable} AS k`;
    const result = await db.connection.stream(`SELECT ${projection.join(', ')} FROM ${table} AS s ${join}`);
    const dayCount = grid.dayCount;
    const numberTargets = numbers.map((n) => grid.numberColumn(n as never));
    const moneyTargets = money.map((m) => grid.moneyColumns(m as never));
    let slots = new Int32Array(0);
    // Every projected column is non-NULL (the join's key, a day difference, COALESCEd sums), so values are read
    // from the vectors' buffers without their validity masks (whose per-row check makes two BigInts). Each row's
    // slot first, then the rows with all their measures (the grid keeps a slot's measures side by side).
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      const rowCount = chunk.rowCount;
      if (slots.length < rowCount) slots = new Int32Array(rowCount);
      const keys = intColumn(chunk.getColumnVector(0), rowCount);
      const days = intColumn(chunk.getColumnVector(1), rowCount);
      for (let r = 0; r < rowCount; r++) {
        const k = gridIndex[keys[r]!]!;
        const d = days[r]!;
        const slot = k < 0 || d < 0 || d >= dayCount ? -1 : grid.slotOf(k, d);
        slots[r] = slot;
        if (slot >= 0) grid.mark(slot);
      }
      const numberValues = numbers.map((_, i) => doubleColumn(chunk.getColumnVector(2 + i), rowCount));
      const moneyWords = money.map((_, i) =>
        decimalWords(chunk.getColumnVector(2 + numbers.length + i), rowCount),
      );
      addRows(slots, rowCount, numberTargets, numberValues, moneyTargets, moneyWords);
    }
    return grid as GrainGrid<G>;
  } finally {
    await db.run(`DROP TABLE IF EXISTS ${table}`);
    await db.run(`DROP TABLE IF EXISTS ${keyTable}`);
  }
}

/**
 * Adds a chunk's rows into their slots: the numbers as doubles, money from its raw DECIMAL(38,15) words (see
 * splitRawWords, addMoneyParts).
 */
function addRows(
  slots: Int32Array,
  rowCount: number,
  numberTargets: readonly MeasureColumn[],
  numberValues: readonly Float64Array[],
  moneyTargets: readonly MeasureColumn[],
  moneyWords: readonly Uint32Array[],
): void {
  for (let r = 0; r < rowCount; r++) {
    const slot = slots[r]!;
    if (slot < 0) continue;
    for (let i = 0; i < numberTargets.length; i++) {
      const target = numberTargets[i]!;
      target.data[slot * target.stride + target.offset]! += numberValues[i]![r]!;
    }
    for (let i = 0; i < moneyWords.length; i++) {
      splitRawWords(moneyWords[i]!, r * 4, PARTS);
      addMoneyParts(moneyTargets[i]!, slot, PARTS[0]!, PARTS[1]!);
    }
  }
}

const PARTS = new Float64Array(2);

/** A non-NULL INTEGER column's values: the vector's own buffer when the client exposes it, else copied. */
function intColumn(vector: DuckDBVector, rowCount: number): Int32Array {
  return numericColumn(vector, rowCount, DuckDBIntegerVector, Int32Array, 'an INTEGER');
}

/** A non-NULL DOUBLE column's values: the vector's own buffer when the client exposes it, else copied. */
function doubleColumn(vector: DuckDBVector, rowCount: number): Float64Array {
  return numericColumn(vector, rowCount, DuckDBDoubleVector, Float64Array, 'a DOUBLE');
}

function numericColumn<A extends Int32Array | Float64Array>(
  vector: DuckDBVector,
  rowCount: number,
  kind: abstract new (...args: never[]) => { getItem(r: number): number | null },
  array: { new (length: number): A; from(items: ArrayLike<number>): A },
  type: string,
): A {
  if (!(vector instanceof kind))
    throw new Error(`rule series: expected ${type} column, got ${vector.type.toString()}`);
  const items: unknown = (vector as unknown as { items?: unknown }).items;
  if (items instanceof (array as unknown as typeof Int32Array) && items.length >= rowCount) return items as A;
  const typed = vector as unknown as { getItem(r: number): number | null };
  return array.from(Array.from({ length: rowCount }, (_, r) => typed.getItem(r) ?? 0));
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
  const byShape = new Map<string, { fields: DetailField[]; rows: Map<string, string[]> }>();
  for (const request of requests) {
    const fields = (Object.keys(DETAIL_FIELDS) as DetailField[]).filter(
      (f) => request.scope[f] !== undefined,
    );
    const shape = fields.join(',');
    let group = byShape.get(shape);
    if (!group) {
      group = { fields, rows: new Map() };
      byShape.set(shape, group);
    }
    const values = [...fields.map((f) => request.scope[f]!), request.day];
    group.rows.set(JSON.stringify(values), values);
  }
  const tables: string[] = [];
  const joins: string[] = [];
  const matched: string[] = [];
  try {
    for (const { fields, rows } of byShape.values()) {
      const table = sqlIdentifier(`detail_${tables.length}`);
      const alias = `r${tables.length}`;
      const columns = [...fields.map((f) => DETAIL_FIELDS[f]), 'usage_date'].map(sqlIdentifier);
      // Appended, not spelled out as VALUES: parsing thousands of literal rows took longer than the scan.
      await db.run(`CREATE OR REPLACE TABLE ${table} (${columns.map((c) => `${c} VARCHAR`).join(', ')})`);
      tables.push(table);
      const appender = await db.connection.createAppender(`detail_${tables.length - 1}`);
      try {
        for (const values of rows.values()) {
          for (const value of values) appender.appendVarchar(value);
          appender.endRow();
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
      joins.push(
        `LEFT JOIN ${table} AS ${alias} ON ${columns.map((c) => `${alias}.${c} = f.${c}`).join(' AND ')}`,
      );
      matched.push(`${alias}.usage_date IS NOT NULL`);
    }
    // The requested days first: DuckDB skips the row groups (the store's files are sorted by day) of other days.
    const days = [...new Set(requests.map((r) => r.day))].sort().map(sqlString);
    return await readFactsWhere(
      db,
      files,
      `f.usage_date IN (${days.join(', ')}) AND (${matched.join(' OR ')})`,
      joins.join(' '),
    );
  } finally {
    for (const table of tables) await db.run(`DROP TABLE IF EXISTS ${table}`);
  }
}
