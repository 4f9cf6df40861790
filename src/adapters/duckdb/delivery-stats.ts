import type { DataPeriodStats } from '../../app/ports/ingest.js';
import { ADJUSTMENT_LINE_ITEM_TYPES, USAGE_LINE_ITEM_TYPES } from '../../core/facts/fact-filters.js';
import { type DuckDb, sqlString } from './duckdb.js';

/** What one pass over every line item of a delivery (all services) says about it. */
export interface DeliveryStats {
  rowsRead: number;
  /** Newest usage end of running-usage lines only: the completeness watermark. */
  newestUsageEnd: string | null;
  periods: DataPeriodStats[];
}

const ISO = "'%Y-%m-%dT%H:%M:%SZ'";
const list = (values: ReadonlySet<string>) => [...values].map(sqlString).join(', ');

/**
 * One pass over every line of `source` (count, watermark, date and period ranges: ~0.35 s per 1M rows on 2
 * threads); only when the ranges leave more than one billing period does a grouped pass (`passStatsSql`) follow
 * (~0.9 s per 1M rows), which tells credits and refunds from lines that may not be dated outside. (The legacy CSV
 * gathers the same statistics inside its one stage-1 pass instead.)
 */
export async function deliveryStats(
  db: DuckDb,
  source: string,
  columns: ReadonlyMap<string, string>,
): Promise<DeliveryStats> {
  const end = columns.has('line_item_usage_end_date') ? 'line_item_usage_end_date' : 'NULL::TIMESTAMP';
  const [quick] = await db.rows<{
    n: bigint;
    newest: string | null;
    first_period: string | null;
    last_period: string | null;
    inside: boolean | null;
  }>(
    `SELECT COUNT(*)::BIGINT AS n,
       strftime(max(${end}) FILTER (WHERE line_item_line_item_type IN (${list(USAGE_LINE_ITEM_TYPES)})), ${ISO}) AS newest,
       strftime(min(bill_billing_period_start_date), '%Y-%m') AS first_period,
       strftime(max(bill_billing_period_start_date), '%Y-%m') AS last_period,
       min(line_item_usage_start_date) >= date_trunc('month', min(bill_billing_period_start_date))
         AND max(line_item_usage_start_date) < date_trunc('month', max(bill_billing_period_start_date)) + INTERVAL 1 MONTH AS inside
     FROM ${source}`,
  );
  const n = quick?.n ?? 0n;
  if (n === 0n) return { rowsRead: 0, newestUsageEnd: null, periods: [] };
  if (quick!.first_period === quick!.last_period && quick!.inside !== false) {
    return {
      rowsRead: Number(n),
      newestUsageEnd: quick!.newest,
      periods: [
        {
          billingPeriod: quick!.first_period,
          lineItems: Number(n),
          outsideLineItems: 0,
          outsideFirst: null,
          outsideLast: null,
          outsideTypes: [],
        },
      ],
    };
  }
  const pass = passStatsSql(columns);
  const { flagged: _none, ...stats } = await deliveryStatsFromPass(
    db,
    `(SELECT ${pass.groupColumns}, ${pass.aggregates} FROM (SELECT ${pass.lineColumns} FROM ${source}) GROUP BY ALL)`,
  );
  return stats;
}

/**
 * Whether a line lies outside its billing period: its usage starts before the period or on or after the next one,
 * unless it is a credit or refund (AWS applies those after the fact, dated by the usage they adjust). Tax, fees and
 * monthly commitment lines start at the period start, so they are inside. `periodStart` is the period's month start.
 */
function outsideSql(type: string, start: string, periodStart: string): string {
  return (
    `(${type} NOT IN (${list(ADJUSTMENT_LINE_ITEM_TYPES)}) AND ` +
    `(${start} < ${periodStart} OR ${start} >= ${periodStart} + INTERVAL 1 MONTH))`
  );
}

/**
 * The statistics of `deliveryStats` gathered by a grouped pass over every line: a pass of their own, or inside
 * another (the one-pass CSV read of stage1-reader.ts: a CSV costs a full parse per pass). `lineColumns` are SELECT-list items over the CUR's columns
 * that give each line the `pass_` columns; the pass groups by `groupColumns` and computes `aggregates`, at most a
 * handful of groups per billing period beyond its own; `deliveryStatsFromPass` reads the statistics back from the
 * pass's table. `flag`, a condition over a line, is counted (`flagged`), for checks that must see every line.
 */
export function passStatsSql(
  columns: ReadonlyMap<string, string>,
  flag?: string,
): { lineColumns: string; groupColumns: string; aggregates: string } {
  const end = columns.has('line_item_usage_end_date') ? 'line_item_usage_end_date' : 'NULL::TIMESTAMP';
  const outside = outsideSql('pass_type', 'pass_start', 'pass_period');
  return {
    lineColumns: [
      "date_trunc('month', bill_billing_period_start_date) AS pass_period",
      'line_item_line_item_type AS pass_type',
      'line_item_usage_start_date AS pass_start',
      `${end} AS pass_end`,
      `COALESCE(${flag ?? 'false'}, false) AS pass_flag`,
    ].join(', '),
    groupColumns: 'pass_period, pass_type',
    aggregates: [
      'COUNT(*)::BIGINT AS pass_n',
      `max(pass_end) FILTER (WHERE pass_type IN (${list(USAGE_LINE_ITEM_TYPES)})) AS pass_newest`,
      `(COUNT(*) FILTER (WHERE ${outside}))::BIGINT AS pass_outside_n`,
      `min(pass_start) FILTER (WHERE ${outside}) AS pass_outside_first`,
      `max(pass_start) FILTER (WHERE ${outside}) AS pass_outside_last`,
      '(COUNT(*) FILTER (WHERE pass_flag))::BIGINT AS pass_flagged',
    ].join(', '),
  };
}

/** The statistics of a pass built with `passStatsSql`, from its table or relation. */
export async function deliveryStatsFromPass(
  db: DuckDb,
  relation: string,
): Promise<DeliveryStats & { flagged: number }> {
  const rows = await db.rows<RawDeliveryStatsRow & { flagged: bigint }>(
    `SELECT strftime(pass_period, '%Y-%m') AS billing_period, SUM(pass_n)::BIGINT AS n,
       strftime(max(pass_newest), ${ISO}) AS newest, SUM(pass_outside_n)::BIGINT AS outside_n,
       strftime(min(pass_outside_first), ${ISO}) AS outside_first,
       strftime(max(pass_outside_last), ${ISO}) AS outside_last,
       string_agg(DISTINCT pass_type, ', ' ORDER BY pass_type) FILTER (WHERE pass_outside_n > 0) AS outside_types,
       SUM(pass_flagged)::BIGINT AS flagged
     FROM ${relation} GROUP BY ALL ORDER BY billing_period`,
  );
  return { ...toDeliveryStats(rows), flagged: rows.reduce((n, r) => n + Number(r.flagged), 0) };
}

interface RawDeliveryStatsRow {
  billing_period: string | null;
  n: bigint;
  newest: string | null;
  outside_n: bigint;
  outside_first: string | null;
  outside_last: string | null;
  outside_types: string | null;
}

function toDeliveryStats(rows: readonly RawDeliveryStatsRow[]): DeliveryStats {
  const newest = rows
    .map((r) => r.newest)
    .filter((t): t is string => t !== null)
    .sort()
    .at(-1);
  return {
    rowsRead: rows.reduce((n, r) => n + Number(r.n), 0),
    newestUsageEnd: newest ?? null,
    periods: rows.map((r) => ({
      billingPeriod: r.billing_period,
      lineItems: Number(r.n),
      outsideLineItems: Number(r.outside_n),
      outsideFirst: r.outside_first,
      outsideLast: r.outside_last,
      outsideTypes: r.outside_types ? r.outside_types.split(', ') : [],
    })),
  };
}
