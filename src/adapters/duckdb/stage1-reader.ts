import type { DataFileRef, Stage1Engine, Stage1Output } from '../../app/ports/ingest.js';
import { describeError, InputError } from '../../core/errors.js';
import type { PeriodTotal } from '../../core/facts/reconcile.js';
import { type Money, parseMoney } from '../../core/money.js';
import type { Stage1Row } from '../../core/normalize/stage1-row.js';
import { athenaColumnName, LEGACY_TIMESTAMP_COLUMNS } from '../cur-sql/csv-columns.js';
import { type CurFormat, checkRequiredColumns, detectCurFormat } from '../cur-sql/cur-format.js';
import { everyLineSql, lineProjection } from '../cur-sql/line-projection.js';
import { fillTemplate, loadSql } from '../cur-sql/sql-files.js';
import {
  STAGE1_COLUMNS,
  STAGE1_GROUP_COLUMNS,
  STAGE1_ROW_ORDER,
  STAGE1_SUM_COLUMNS,
  stage1GroupsSql,
  stage1RowConverter,
} from '../cur-sql/stage1-columns.js';
import { type DataFileKind, firstNonUtf8Line, inspectDataFile } from '../local-fs/data-file.js';
import { cur2BedrockSource, cur2TagMaps, groupsWithTagPairs, rawTagMapPlaceholders } from './bedrock-scan.js';
import { emptyCostCellSql, reportEmptyCostCells } from './csv-cost-cells.js';
import { type DeliveryStats, deliveryStats, deliveryStatsFromPass, passStatsSql } from './delivery-stats.js';
import { type DuckDb, sqlIdentifier, sqlString, withDuckDb } from './duckdb.js';

export interface Stage1Options {
  /** Normalised tag keys to keep (see normaliseTagKey). */
  tagKeys: readonly string[];
  threads?: number;
}

/**
 * Stage 1 on DuckDB: reads exactly the given files and, in one pass over their Bedrock line items, computes
 * the stage-1 groups and the independent per-period totals (sql/stage1_groups.sql).
 */
export async function readStage1(
  files: readonly DataFileRef[],
  options: Stage1Options,
): Promise<Stage1Output> {
  const inspected = await Promise.all(
    files.map(async (file) => ({ ...file, ...(await inspectDataFile(file.path, file.label)) })),
  );
  const emptyFiles = inspected.filter((f) => f.kind === 'empty').map((f) => f.label);
  const readable = inspected.filter((f) => f.kind !== 'empty');
  if (readable.length === 0) {
    return {
      format: 'cur2',
      rows: [],
      totals: [],
      rowsRead: 0,
      emptyFiles,
      newestUsageEnd: null,
      dataPeriods: [],
    };
  }
  const kinds = new Set(readable.map((f) => (f.kind === 'parquet' ? 'parquet' : 'csv')));
  if (kinds.size > 1) {
    throw new InputError(
      `a delivery mixes Parquet and CSV files: ${readable.map((f) => f.label).join(', ')}`,
    );
  }
  const threads = options.threads;
  return withDuckDb(
    async (db) => {
      const source =
        readable[0]!.kind === 'parquet' ? await parquetSource(db, readable) : await csvSource(db, readable);
      checkRequiredColumns(source.label, source.format, source.columns);
      const projection = lineProjection(source.format, source.columns, options.tagKeys);
      if (source.onePass) {
        const stats = await legacyCsvOnePass(db, source.columns, projection, readable);
        return finish(db, source.format, stats, null);
      }
      // CUR 2.0 is read with one pushed-down scan per billing path, its lines grouped by their raw tag maps.
      const rawMaps = source.format === 'cur2' && cur2TagMaps(source.columns).length > 0;
      const lines = fillTemplate(loadSql(`${source.format}/bedrock_lines.sql`), {
        ...projection,
        ...(rawMaps ? rawTagMapPlaceholders(source.columns) : {}),
        source: source.format === 'cur2' ? cur2BedrockSource('cur_source', source.columns) : 'cur_source',
      });
      await runNamed(db, `CREATE TEMP TABLE stage1_sets AS ${stage1GroupsSql(`(${lines})`)}`, readable);
      return finish(db, source.format, source, rawMaps ? projection : null);
    },
    threads === undefined ? {} : { threads },
  );

  /** The output from table `stage1_sets`; `rawMapProjection` when its tag columns hold raw CUR 2.0 maps. */
  async function finish(
    db: DuckDb,
    format: CurFormat,
    stats: DeliveryStats,
    rawMapProjection: Record<string, string> | null,
  ): Promise<Stage1Output> {
    const groups = rawMapProjection ? await groupsWithTagPairs(db, 'stage1_sets', rawMapProjection) : null;
    const rows = await stage1Rows(
      db,
      groups?.sql ?? 'SELECT * EXCLUDE (is_period_total) FROM stage1_sets WHERE is_period_total = 0',
      stage1RowConverter(groups ? { tagPairs: groups.tagPairs } : {}),
    );
    const totals = await db.rows<RawTotalRow>(
      `SELECT billing_period, CAST(cost_unblended AS VARCHAR) AS cost_unblended, CAST(cost_net AS VARCHAR) AS cost_net,
            CAST(line_items AS INTEGER) AS line_items
     FROM stage1_sets WHERE is_period_total = 1 ORDER BY billing_period`,
    );
    return {
      format,
      rows,
      totals: totals.map(toPeriodTotal),
      rowsRead: stats.rowsRead,
      emptyFiles,
      newestUsageEnd: stats.newestUsageEnd,
      dataPeriods: stats.periods,
    };
  }
}

/**
 * The legacy CSV in one pass (a CSV costs a full parse per pass: measured on 5M rows, the statistics' pass ~5 s and
 * the stage-1 pass ~7 s, together ~9.6 s): one GROUP BY over every line (`everyLineSql`) keeps the Bedrock lines'
 * stage-1 groups and, beside them, a few groups of the other lines per billing period, each with the statistics of
 * `passStatsSql`. Creates table `stage1_sets` from the pass's Bedrock groups and returns the delivery's statistics,
 * having named any empty cost cell (`reportEmptyCostCells`).
 */
async function legacyCsvOnePass(
  db: DuckDb,
  columns: ReadonlyMap<string, string>,
  projection: Record<string, string>,
  files: readonly InspectedFile[],
): Promise<DeliveryStats> {
  const stats = passStatsSql(columns, emptyCostCellSql(columns) ?? undefined);
  const lines = everyLineSql(
    loadSql('legacy/bedrock_lines.sql'),
    { ...projection, source: 'cur_source' },
    stats.lineColumns,
  );
  const sums = STAGE1_SUM_COLUMNS.map((c) => (c === 'line_items' ? 'COUNT(*)' : `SUM(${c})`) + ` AS ${c}`);
  await runNamed(
    db,
    `CREATE TEMP TABLE csv_pass AS
     SELECT ${STAGE1_GROUP_COLUMNS.join(', ')}, pass_bedrock, ${stats.groupColumns}, ${sums.join(', ')}, ${stats.aggregates}
     FROM (${lines}) GROUP BY ALL`,
    files,
  );
  const { flagged, ...delivery } = await deliveryStatsFromPass(db, 'csv_pass');
  if (flagged > 0) await reportEmptyCostCells(db, files);
  await db.run(
    `CREATE TEMP TABLE stage1_sets AS ${stage1GroupsSql('(SELECT * FROM csv_pass WHERE pass_bedrock)', 'SUM(line_items)')}`,
  );
  return delivery;
}

/** The embedded stage-1 engine. */
export function duckDbStage1Engine(threads?: number): Stage1Engine {
  return {
    run: (files, tagKeys) => readStage1(files, threads === undefined ? { tagKeys } : { tagKeys, threads }),
  };
}

interface SourceShape {
  format: CurFormat;
  columns: Map<string, string>;
  /** The file named in schema errors. */
  label: string;
}

/** A delivery's source: its statistics read already, or to be read in the stage-1 pass (`onePass`). */
type Source = SourceShape & ((DeliveryStats & { onePass?: undefined }) | { onePass: true });

type InspectedFile = DataFileRef & { kind: DataFileKind };

async function parquetSource(db: DuckDb, files: readonly InspectedFile[]): Promise<Source> {
  let format: CurFormat | undefined;
  let union = new Map<string, string>();
  // Each file is described on its own so a corrupt or foreign file is named, not lost in the union.
  for (const file of files) {
    const columns = await describe(db, `SELECT * FROM read_parquet(${sqlString(file.path)})`, [file]);
    const fileFormat = detectCurFormat(file.label, columns);
    checkRequiredColumns(file.label, fileFormat, columns);
    if (format && fileFormat !== format) {
      throw new InputError(`${file.label}: is ${fileFormat} while other files of the delivery are ${format}`);
    }
    format = fileFormat;
    union = new Map([...union, ...columns]);
  }
  const list = `[${files.map((f) => sqlString(f.path)).join(', ')}]`;
  await db.run(`CREATE VIEW cur_source AS SELECT * FROM read_parquet(${list}, union_by_name = true)`);
  const stats = await namingFiles(files, () => deliveryStats(db, 'cur_source', union));
  return { format: format!, columns: union, ...stats, label: files[0]!.label };
}

async function csvSource(db: DuckDb, files: readonly InspectedFile[]): Promise<Source> {
  // Each file's dialect and header are sniffed once, and the files are read with them spelt out: a reader left to
  // auto-detect sniffs again every time a statement binds it (measured on a 1M-row CSV: ~0.3 s of CPU per
  // statement, three statements). Files whose headers differ are unioned by name, as union_by_name would.
  const readers: string[] = [];
  const raw = new Map<string, string>();
  for (const file of files) {
    const header = await sniffCsv(db, file);
    for (const name of header.columns) raw.set(name, 'VARCHAR');
    const columns = header.columns.map((name) => `${sqlString(name)}: 'VARCHAR'`).join(', ');
    readers.push(
      `SELECT * FROM read_csv(${sqlString(file.path)}, header = true, auto_detect = false, ` +
        `delim = ${sqlString(header.delimiter)}, quote = ${sqlString(header.quote)}, escape = ${sqlString(header.escape)}, ` +
        `columns = {${columns}})`,
    );
  }
  const reader = `(${readers.join(' UNION ALL BY NAME ')})`;
  // Group headers by their Athena name: `resourceTags/user:Team` and `resourceTags/user:team` are one key.
  const byName = new Map<string, string[]>();
  for (const header of raw.keys()) {
    const name = athenaColumnName(header);
    byName.set(name, [...(byName.get(name) ?? []), header]);
  }
  const select = [...byName].map(([name, headers]) => {
    const values = headers.map((h) => `NULLIF(${sqlIdentifier(h)}, '')`);
    const value = values.length === 1 ? values[0]! : `COALESCE(${values.join(', ')})`;
    const typed = LEGACY_TIMESTAMP_COLUMNS.has(name) ? `CAST(${value} AS TIMESTAMP)` : value;
    return `${typed} AS ${sqlIdentifier(name)}`;
  });
  const columns = new Map([...byName.keys()].map((name) => [name, 'VARCHAR']));
  const format = detectCurFormat(files[0]!.label, columns);
  await db.run(`CREATE VIEW cur_source AS SELECT ${select.join(', ')} FROM ${reader}`);
  const label = files[0]!.label;
  // The legacy CUR is read in one pass that also gathers the statistics (legacyCsvOnePass).
  if (format === 'legacy') return { format, columns, label, onePass: true };
  // The statistics parse every row, so a malformed CSV fails here with the file named.
  const stats = await namingFiles(files, () => deliveryStats(db, 'cur_source', columns));
  return { format, columns, ...stats, label };
}

interface CsvHeader {
  delimiter: string;
  quote: string;
  escape: string;
  columns: string[];
}

/**
 * Rows the CSV sniffer reads for a file's dialect and header: DuckDB's default sample (20,480 rows, taken from
 * across the file) took ~0.3 s a file on 1.3 GB files, this ~0.13 s.
 */
const SNIFF_ROWS = 2048;

async function sniffCsv(db: DuckDb, file: InspectedFile): Promise<CsvHeader> {
  return namingFiles([file], async () => {
    const [sniffed] = await db.rows<{
      Delimiter: string;
      Quote: string;
      Escape: string;
      Columns: { name: string }[];
    }>(
      `SELECT Delimiter, Quote, Escape, Columns FROM sniff_csv(${sqlString(file.path)}, header = true, all_varchar = true, sample_size = ${SNIFF_ROWS})`,
    );
    if (!sniffed) throw new Error('no header');
    // The sniffer reports an absent quote or escape character as '(empty)'. Rows it did not see may still be quoted
    // (AWS quotes a field only when it holds a delimiter, a quote or a line break), so a file it saw no quote in is
    // read with RFC 4180's: the double quote, escaped by doubling.
    const option = (value: string) => (value === '(empty)' ? '' : value);
    const quoted = option(sniffed.Quote) !== '';
    return {
      delimiter: sniffed.Delimiter,
      quote: quoted ? sniffed.Quote : '"',
      escape: quoted ? option(sniffed.Escape) : '"',
      columns: sniffed.Columns.map((c) => c.name),
    };
  });
}

async function describe(
  db: DuckDb,
  query: string,
  files: readonly InspectedFile[],
): Promise<Map<string, string>> {
  return namingFiles(files, async () => {
    const rows = await db.rows<{ column_name: string; column_type: string }>(`DESCRIBE ${query}`);
    return new Map(rows.map((r) => [r.column_name, r.column_type]));
  });
}

/** Runs a statement over the delivery's files; an engine error names the file it mentions, if any. */
async function runNamed(db: DuckDb, sql: string, files: readonly InspectedFile[]): Promise<void> {
  await namingFiles(files, () => db.run(sql));
}

async function namingFiles<T>(files: readonly InspectedFile[], work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw await readError(files, error);
  }
}

/**
 * What a person can act on from an engine error: the file it concerns (the one it mentions, or the only one),
 * whether it is damaged Parquet or text that is not UTF-8 (with the line), else the engine's first line.
 */
async function readError(files: readonly InspectedFile[], error: unknown): Promise<InputError> {
  const message = describeError(error);
  const file = files.find((f) => message.includes(f.path)) ?? (files.length === 1 ? files[0] : undefined);
  const where = file ? file.label : files.map((f) => f.label).join(', ');
  const detail = firstLine(message);
  if (file?.kind === 'parquet') {
    return new InputError(
      `${where}: corrupt Parquet file (${detail}): the file is damaged or incomplete; download it again or ask AWS to re-deliver the period`,
      { cause: error },
    );
  }
  if (/not utf-8 encoded|invalid unicode/i.test(message)) {
    for (const candidate of file ? [file] : files) {
      const bad = await firstNonUtf8Line(candidate.path, candidate.kind === 'csv-gzip');
      if (bad) {
        return new InputError(
          `${candidate.label}: line ${bad.line} is not UTF-8 text (byte 0x${bad.byte.toString(16).toUpperCase().padStart(2, '0')}); ` +
            'CUR files are UTF-8: was the file saved as Latin-1 or Windows-1252? Convert it (iconv -f WINDOWS-1252 -t UTF-8) and ingest it again',
          { cause: error },
        );
      }
    }
  }
  return new InputError(`${where}: cannot read file: ${detail}`, { cause: error });
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

interface RawTotalRow {
  billing_period: string;
  cost_unblended: string;
  cost_net: string;
  line_items: number;
}

function toPeriodTotal(r: RawTotalRow): PeriodTotal {
  return {
    billingPeriod: r.billing_period,
    costUnblended: parseMoney(r.cost_unblended) as Money,
    costNet: parseMoney(r.cost_net) as Money,
    lineItems: r.line_items,
  };
}

/**
 * The rows of `groupsSql` (every `STAGE1_COLUMNS` column) in `STAGE1_ROW_ORDER`, converted. Each row crosses
 * from DuckDB as one JSON array of its values as text (exact decimals included): V8's JSON.parse builds it an order
 * of magnitude faster than the client's per-value accessors, and an array carries no field names (a third of the
 * bytes of an object on 10k groups). The result is streamed chunk by chunk.
 */
async function stage1Rows(
  db: DuckDb,
  groupsSql: string,
  convert: (values: readonly (string | null)[]) => Stage1Row,
): Promise<Stage1Row[]> {
  const values = STAGE1_COLUMNS.map((c) => `CAST(${c.name} AS VARCHAR)`).join(', ');
  const result = await db.connection.stream(
    `SELECT CAST(to_json([${values}]) AS VARCHAR) AS j FROM (${groupsSql}) AS q ORDER BY ${STAGE1_ROW_ORDER.join(', ')}`,
  );
  const out: Stage1Row[] = [];
  for (;;) {
    const chunk = await result.fetchChunk();
    if (!chunk || chunk.rowCount === 0) break;
    for (const text of chunk.getColumnValues(0) as string[]) out.push(convert(JSON.parse(text)));
  }
  return out;
}
